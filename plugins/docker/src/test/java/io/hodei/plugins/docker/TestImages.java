package io.hodei.plugins.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Builds, once per test run, what the Docker tests run, from what this machine has (no registry is
 * reachable): a jlink runtime holding the agent, a "stock" image without Java (busybox plus glibc,
 * standing in for a distribution image), and an image with the agent built in. The runtime is
 * cached by content hash under the build directory; the images are removed when the run ends.
 */
final class TestImages implements BeforeAllCallback, AutoCloseable {

  /** The label on everything these tests create, images and containers, for cleanup. */
  static final String TEST_LABEL = "hodei.test";

  static final String TEST_LABEL_VALUE = "docker-plugin";

  static final String MODULES =
      "java.base,java.logging,java.naming,java.net.http,jdk.unsupported,java.management,"
          + "jdk.crypto.ec,jdk.random";

  private static volatile Built built;

  /** What one run built. */
  record Built(Path agentRuntime, String stockImage, String agentImage) {}

  /** The built images; only valid inside tests that use this extension. */
  static Built get() {
    if (built == null) {
      throw new IllegalStateException("annotate the test with @ExtendWith(TestImages.class)");
    }
    return built;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (TestImages.class) {
      if (built == null) {
        requireEngine();
        built = build();
        // The root store closes this resource once, when the whole run ends.
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(TestImages.class, this);
      }
    }
  }

  @Override
  public void close() {
    String containers =
        DockerCli.run("ps", "-aq", "--filter", "label=" + TEST_LABEL + "=" + TEST_LABEL_VALUE);
    if (!containers.isBlank()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f", "-v"));
      args.addAll(List.of(containers.split("\\s+")));
      DockerCli.run(args.toArray(String[]::new));
    }
    DockerCli.run("rmi", "-f", built.stockImage(), built.agentImage());
  }

  private static void requireEngine() {
    try {
      DockerCli.run("version", "--format", "{{.Server.Version}}");
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          "these tests need a running Docker engine at "
              + DockerCli.SOCKET
              + " and the docker command line: install docker.io and start"
              + " `dockerd --bridge=none --iptables=false` (CI's .ci/run does both). Cause: "
              + e.getMessage(),
          e);
    }
  }

  private static Built build() throws Exception {
    Path agentJar = Path.of(System.getProperty("hodei.test.agent.jar"));
    Path cacheDir = Path.of(System.getProperty("hodei.test.images.dir"));
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path busybox = findBusybox();
    String hash =
        hash(agentJar, busybox, javaHome.resolve("release")).substring(0, 12)
            + "-"
            + Integer.toHexString(MODULES.hashCode());
    Path runtime = cacheDir.resolve("agent-runtime-" + hash);
    if (!Files.isRegularFile(runtime.resolve(WorkerContainer.AGENT_JAR))) {
      makeRuntime(javaHome, agentJar, runtime);
    }
    Path stockRoot = cacheDir.resolve("stock-rootfs-" + hash);
    if (!Files.isDirectory(stockRoot)) {
      makeStockRootfs(runtime, busybox, stockRoot);
    }
    String stock = "hodei-test/stock:" + hash;
    String withAgent = "hodei-test/agent:" + hash;
    importImage(stockRoot, null, stock, List.of("CMD [\"/bin/sh\"]"));
    importImage(
        stockRoot,
        runtime,
        withAgent,
        List.of(
            "ENTRYPOINT [\"/opt/hodei/bin/java\", \"-XX:TieredStopAtLevel=1\","
                + " \"-XX:+UseSerialGC\", \"-jar\", \"/opt/hodei/hodei-agent.jar\"]"));
    return new Built(runtime, stock, withAgent);
  }

  private static void makeRuntime(Path javaHome, Path agentJar, Path runtime) throws Exception {
    Path staging =
        Files.createTempDirectory(
            runtime.getParent() == null ? Path.of(".") : mkdirs(runtime.getParent()), "runtime-");
    Path image = staging.resolve("image");
    exec(
        javaHome.resolve("bin/jlink").toString(),
        "--add-modules",
        MODULES,
        "--strip-debug",
        "--no-header-files",
        "--no-man-pages",
        "--output",
        image.toString());
    Files.copy(agentJar, image.resolve(WorkerContainer.AGENT_JAR));
    Files.move(image, runtime, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Busybox and its applets, plus every shared library the agent runtime needs. */
  private static void makeStockRootfs(Path runtime, Path busybox, Path root) throws Exception {
    Path staging = Files.createTempDirectory(mkdirs(root.getParent()), "rootfs-");
    Path bin = mkdirs(staging.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"));
    for (String applet : exec(busybox.toString(), "--list").split("\\s+")) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    mkdirs(staging.resolve("tmp"));
    mkdirs(staging.resolve("opt"));
    mkdirs(staging.resolve("etc"));
    Files.writeString(staging.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    for (Path library : sharedLibraries(runtime)) {
      Path target = staging.resolve(library.toString().substring(1));
      mkdirs(target.getParent());
      if (!Files.exists(target)) {
        Files.copy(library.toRealPath(), target);
      }
    }
    Files.move(staging, root, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The libraries {@code ldd} names for the runtime's executables and libraries. */
  private static Set<Path> sharedLibraries(Path runtime) throws Exception {
    Set<Path> libraries = new TreeSet<>();
    List<Path> objects = new ArrayList<>();
    objects.add(runtime.resolve("bin/java"));
    try (var files = Files.walk(runtime.resolve("lib"))) {
      files.filter(p -> p.toString().endsWith(".so")).forEach(objects::add);
    }
    Pattern path = Pattern.compile("(/\\S+) \\(0x");
    for (Path object : objects) {
      Matcher m = path.matcher(exec("ldd", object.toString()));
      while (m.find()) {
        Path library = Path.of(m.group(1));
        if (!library.normalize().startsWith(runtime.toAbsolutePath().normalize())) {
          libraries.add(library.normalize());
        }
      }
    }
    return libraries;
  }

  private static void importImage(Path root, Path agentRuntime, String tag, List<String> changes)
      throws Exception {
    Path tar = Files.createTempFile(root.getParent(), "image-", ".tar");
    try {
      List<String> command =
          new ArrayList<>(List.of("tar", "-C", root.toString(), "-cf", tar.toString()));
      command.add(".");
      exec(command.toArray(String[]::new));
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
      List<String> args = new ArrayList<>(List.of("import"));
      args.addAll(List.of("--change", "LABEL " + TEST_LABEL + "=" + TEST_LABEL_VALUE));
      for (String change : changes) {
        args.addAll(List.of("--change", change));
      }
      args.add("-");
      args.add(tag);
      DockerCli.run(tar, args.toArray(String[]::new));
    } finally {
      Files.deleteIfExists(tar);
    }
  }

  private static Path findBusybox() {
    for (String candidate : List.of("/bin/busybox", "/usr/bin/busybox")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("busybox is missing: install busybox-static (CI's .ci/run does)");
  }

  private static String hash(Path... files) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static Path mkdirs(Path dir) throws IOException {
    return Files.createDirectories(dir);
  }

  private static String exec(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new UncheckedIOException(
          new IOException(String.join(" ", command) + " failed: " + out));
    }
    return out;
  }
}
