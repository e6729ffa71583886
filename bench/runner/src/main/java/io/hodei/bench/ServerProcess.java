package io.hodei.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged server, copied to a scratch directory and run as a child process against the
 * benchmark's database, with the handoff plugin in its plugins directory.
 */
final class ServerProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Process process;
  private final Path home;
  private final Path log;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ServerProcess(Process process, Path home, Path log, int port) {
    this.process = process;
    this.home = home;
    this.log = log;
    this.port = port;
  }

  /**
   * Copies {@code serverDir} under {@code workDir}, installs the plugin, starts the server and
   * waits until it is ready.
   */
  static ServerProcess start(
      Path serverDir, Path pluginJar, Path workDir, int port, List<String> settings)
      throws IOException, InterruptedException {
    Path jar = serverDir.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no packaged server at "
              + jar.toAbsolutePath()
              + "; build it once with ./mvnw -B install -pl server -am -DskipTests");
    }
    if (!Files.isRegularFile(pluginJar)) {
      throw new IllegalStateException(
          "no handoff plugin at " + pluginJar.toAbsolutePath() + "; build the bench modules");
    }
    Path app = workDir.resolve("server");
    copyTree(serverDir, app);
    Path home = workDir.resolve("home");
    Files.createDirectories(home.resolve("plugins"));
    Files.copy(pluginJar, home.resolve("plugins").resolve(pluginJar.getFileName()));
    Path log = workDir.resolve("server.log");

    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    settings.forEach(setting -> command.add("-D" + setting));
    command.add("-jar");
    command.add(app.resolve("quarkus-run.jar").toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("HODEI_HOME", home.toString());
    builder.environment().put("HODEI_HTTP_PORT", Integer.toString(port));
    ServerProcess server = new ServerProcess(builder.start(), home, log, port);
    server.awaitReady();
    return server;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  String adminToken() throws IOException {
    return Files.readString(home.resolve("admin-token")).trim();
  }

  Path log() {
    return log;
  }

  /** The server's used heap in bytes, summed over its heap pools, from its Prometheus metrics. */
  long heapUsedBytes() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/q/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return Metrics.sum(response.body(), "jvm_memory_used_bytes", "area=\"heap\"");
  }

  /** Resident and peak resident memory of the server process, in bytes, from /proc. */
  Memory memory() throws IOException {
    List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"));
    return new Memory(kib(status, "VmRSS:") * 1024, kib(status, "VmHWM:") * 1024);
  }

  /** Resident memory now and at its peak. */
  record Memory(long rssBytes, long peakRssBytes) {}

  private static long kib(List<String> status, String key) {
    return status.stream()
        .filter(line -> line.startsWith(key))
        .map(line -> line.substring(key.length()).replace("kB", "").trim())
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + key + " in /proc/<pid>/status"));
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with code " + process.exitValue() + "; its log:\n" + tail());
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(uri("/q/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200 && Files.exists(home.resolve("admin-token"))) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet: the loop retries until the deadline.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "the server was not ready within " + START_TIMEOUT + "; its log:\n" + tail());
  }

  /** The last lines of the server's log, for error messages. */
  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Stops the server gracefully (SIGTERM), forcibly after 30 seconds. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
