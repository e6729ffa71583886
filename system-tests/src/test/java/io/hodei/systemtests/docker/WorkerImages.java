package io.hodei.systemtests.docker;

import static io.hodei.systemtests.docker.Docker.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The worker images the end-to-end tests run, made on this machine since no registry is reachable:
 * a jlink runtime with the server's own agent jar, a "stock" image without Java (busybox plus the
 * glibc the runtime needs), and an image that starts the agent itself, like the plugin's
 * worker-image Dockerfile.
 *
 * @param agentRuntime the directory mounted into containers when the agent is injected
 * @param stockImage an image without the agent
 * @param agentImage an image whose entrypoint is the agent
 */
record WorkerImages(Path agentRuntime, String stockImage, String agentImage) {

  static final String TEST_LABEL = "hodei.test=docker-end-to-end";

  private static final String MODULES =
      "java.base,java.logging,java.naming,java.net.http,jdk.unsupported,java.management,"
          + "jdk.crypto.ec,jdk.random";

  /** Builds everything under {@code dir}, tagging the images with {@code tag}. */
  static WorkerImages build(Path dir, String tag) throws Exception {
    try {
      docker("version", "--format", "{{.Server.Version}}");
    } catch (AssertionError | UncheckedIOException e) {
      throw new AssertionError(
          "the Docker end-to-end tests need a Docker engine at "
              + Docker.SOCKET
              + ": install docker.io and start `dockerd --bridge=none --iptables=false`"
              + " (CI's .ci/run does). Cause: "
              + e.getMessage(),
          e);
    }
    Files.createDirectories(dir);
    Path runtime = dir.resolve("agent-runtime");
    Path javaHome = Path.of(System.getProperty("java.home"));
    exec(
        javaHome.resolve("bin/jlink").toString(),
        "--add-modules",
        MODULES,
        "--strip-debug",
        "--no-header-files",
        "--no-man-pages",
        "--output",
        runtime.toString());
    extractAgent(runtime.resolve("hodei-agent.jar"));
    Path root = dir.resolve("rootfs");
    makeRootfs(runtime, root);
    String stock = "hodei-e2e/stock:" + tag;
    String withAgent = "hodei-e2e/agent:" + tag;
    importImage(root, null, stock, "CMD [\"/bin/sh\"]");
    importImage(
        root,
        runtime,
        withAgent,
        "ENTRYPOINT [\"/opt/hodei/bin/java\", \"-jar\", \"/opt/hodei/hodei-agent.jar\"]");
    return new WorkerImages(runtime, stock, withAgent);
  }

  /** Removes the images and any container the tests' servers left. */
  void remove(String installationLabel) {
    String containers = docker("ps", "-aq", "--filter", "label=" + installationLabel);
    if (!containers.isBlank()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f", "-v"));
      args.addAll(List.of(containers.split("\\s+")));
      docker(args.toArray(String[]::new));
    }
    docker("rmi", "-f", stockImage, agentImage);
  }

  /** The agent jar the packaged server bundles, so the workers run the agent of the server. */
  private static void extractAgent(Path target) throws IOException {
    Path serverJar = Path.of(System.getProperty("hodei.server.jar"));
    Path app = serverJar.getParent().resolve("app");
    try (var jars = Files.list(app)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          ZipEntry entry = zip.getEntry("bundled/hodei-agent.jar");
          if (entry != null) {
            try (InputStream in = zip.getInputStream(entry)) {
              Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
              return;
            }
          }
        }
      }
    }
    throw new AssertionError("no bundled/hodei-agent.jar in the server's jars under " + app);
  }

  private static void makeRootfs(Path runtime, Path root) throws Exception {
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path busybox =
        Path.of(Files.isExecutable(Path.of("/bin/busybox")) ? "/bin/busybox" : "/usr/bin/busybox");
    Files.copy(busybox, bin.resolve("busybox"));
    for (String applet : exec(busybox.toString(), "--list").split("\\s+")) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Files.createDirectories(root.resolve("tmp"));
    Files.createDirectories(root.resolve("opt"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Set<Path> libraries = new TreeSet<>();
    List<Path> objects = new ArrayList<>(List.of(runtime.resolve("bin/java")));
    try (var files = Files.walk(runtime.resolve("lib"))) {
      files.filter(p -> p.toString().endsWith(".so")).forEach(objects::add);
    }
    Pattern path = Pattern.compile("(/\\S+) \\(0x");
    for (Path object : objects) {
      Matcher m = path.matcher(exec("ldd", object.toString()));
      while (m.find()) {
        Path library = Path.of(m.group(1)).normalize();
        if (!library.startsWith(runtime.toAbsolutePath().normalize())) {
          libraries.add(library);
        }
      }
    }
    for (Path library : libraries) {
      Path target = root.resolve(library.toString().substring(1));
      Files.createDirectories(target.getParent());
      if (!Files.exists(target)) {
        Files.copy(library.toRealPath(), target);
      }
    }
  }

  private static void importImage(Path root, Path agentRuntime, String tag, String change)
      throws Exception {
    Path tar = root.resolveSibling(tag.replaceAll("[^a-z0-9]", "_") + ".tar");
    exec("tar", "-C", root.toString(), "-cf", tar.toString(), ".");
    if (agentRuntime != null) {
      exec(
          "tar",
          "-rf",
          tar.toString(),
          "--transform",
          "s,^\\.,opt/hodei,",
          "-C",
          agentRuntime.toString(),
          ".");
    }
    Docker.dockerWithInput(
        tar, "import", "--change", "LABEL " + TEST_LABEL, "--change", change, "-", tag);
    Files.delete(tar);
  }

  private static String exec(String... command) {
    return Docker.exec(null, List.of(command));
  }
}
