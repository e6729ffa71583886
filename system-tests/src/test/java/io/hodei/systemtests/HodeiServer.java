package io.hodei.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One packaged Hodei server running as its own process, on a home directory and a loopback port of
 * its own, for black-box tests.
 *
 * <p>The server is {@code server/target/quarkus-app/quarkus-run.jar}, named by the system property
 * {@code hodei.server.jar} that the module's pom sets. Each server keeps its state (embedded
 * PostgreSQL, admin token, plugins, agent jar, local workers) in its home, so {@link #restart()}
 * finds it again, as a real restart would. The port never changes across restarts, because local
 * workers were told {@code localhost:<port>} and must be able to reconnect.
 *
 * <p>Always use it in try-with-resources or close it in {@code @AfterEach}: {@link #close()} stops
 * the server and every agent and database process it left on the host.
 */
public final class HodeiServer implements AutoCloseable {

  /** How long a start may take before the test fails with the server's log. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);
  private static final int LOG_TAIL_LINES = 80;

  private final Path home;
  private final int port;
  private final Map<String, String> systemProperties;
  private final Path serverJar;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  private HodeiServer(Path home, int port, Map<String, String> systemProperties, Path serverJar) {
    this.home = home;
    this.port = port;
    this.systemProperties = systemProperties;
    this.serverJar = serverJar;
  }

  /**
   * Starts a server on {@code home} (created if missing) and a free loopback port, with {@code
   * systemProperties} passed as {@code -Dkey=value}, and returns once {@code /q/health/ready}
   * answers 200.
   *
   * @throws AssertionError with the tail of the server's log when it exits or is not ready within
   *     {@link #READY_TIMEOUT}; the process is killed then
   */
  public static HodeiServer start(Path home, Map<String, String> systemProperties) {
    Path absoluteHome = home.toAbsolutePath().normalize();
    createDirectories(absoluteHome);
    HodeiServer server =
        new HodeiServer(
            absoluteHome,
            freeLoopbackPort(),
            Map.copyOf(new LinkedHashMap<>(systemProperties)),
            serverJar());
    server.launch();
    return server;
  }

  /**
   * Starts the server again after {@link #kill()} or {@link #stop()}: same home, same port, same
   * properties. Returns this server once it is ready.
   *
   * @throws IllegalStateException when the server is still running
   */
  public HodeiServer restart() {
    if (isRunning()) {
      throw new IllegalStateException("the server is still running; kill() or stop() it first");
    }
    launch();
    return this;
  }

  /** Kills the server with SIGKILL, as a crash would, and waits until it is gone. */
  public void kill() {
    Process running = requireStarted();
    running.destroyForcibly();
    awaitExit(running, STOP_TIMEOUT, "SIGKILL");
  }

  /**
   * Kills the server and its embedded PostgreSQL with SIGKILL, as when the container or machine
   * holding both dies; agents keep running. The database recovers from its write-ahead log on
   * {@link #restart()}.
   */
  public void killWithDatabase() {
    kill();
    HostProcesses.kill(databaseProcesses());
  }

  /**
   * Stops the server with SIGTERM and waits for its graceful shutdown.
   *
   * @throws IllegalStateException when it does not stop in time; it is killed then
   */
  public void stop() {
    Process running = requireStarted();
    running.destroy();
    try {
      if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        running.destroyForcibly();
        awaitExit(running, STOP_TIMEOUT, "SIGKILL");
        throw new IllegalStateException(
            "the server did not stop within "
                + STOP_TIMEOUT.toSeconds()
                + " s of SIGTERM and was killed; its log: "
                + log()
                + "\n"
                + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the server", e);
    }
  }

  /** Whether the server process is alive. */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The HTTP port, shared by the REST API and the agents' gRPC service. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The administrator's bearer token, as the server wrote it to {@code <home>/admin-token}. */
  public String adminToken() {
    Path file = home.resolve("admin-token");
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the admin token " + file + "; is the server started?", e);
    }
  }

  /** The server's home directory (absolute). */
  public Path home() {
    return home;
  }

  /** The process id of the current server process. */
  public long pid() {
    return requireStarted().pid();
  }

  /** The file holding the server's stdout and stderr, appended to by every (re)start. */
  public Path log() {
    return home.resolve("server.log");
  }

  /** The agent jar this server installed; every local worker's command line names it. */
  public Path agentJar() {
    return home.resolve("agent").resolve("hodei-agent.jar");
  }

  /**
   * Copies a plugin jar into this server's plugins directory. Works before a (re)start and while
   * the server runs: the server watches the directory.
   */
  public void installPlugin(Path jar) {
    installPlugin(home, jar);
  }

  /**
   * Copies a plugin jar into {@code <home>/plugins}, for a server not started yet. The copy is
   * written under a hidden name and then renamed, so a watching server never loads half a jar.
   */
  public static void installPlugin(Path home, Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no plugin jar at " + jar);
    }
    Path plugins = home.toAbsolutePath().resolve("plugins");
    createDirectories(plugins);
    String name = jar.getFileName().toString();
    Path partial = plugins.resolve("." + name + ".part");
    try {
      Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          partial,
          plugins.resolve(name),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + jar + " into " + plugins, e);
    }
  }

  /**
   * A provider plugin jar the pom copied into {@code target/plugins}, e.g. {@code
   * hodei-plugin-docker.jar}.
   *
   * @throws IllegalStateException naming the build step to run when it is missing
   */
  public static Path pluginJar(String fileName) {
    Path jar = Path.of(requiredProperty("hodei.plugins.dir")).resolve(fileName);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no plugin jar "
              + jar
              + "; the system-tests pom copies provider plugins there at pre-integration-test:"
              + " build the plugin module first (./mvnw install -DskipTests) and run the tests"
              + " with ./mvnw verify");
    }
    return jar;
  }

  /** The last lines of the server's log, for failure messages. */
  public String logTail() {
    try {
      if (!Files.exists(log())) {
        return "(no server log yet)";
      }
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log() + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Stops the server if it runs, then ends what it left on the host: agent processes started from
   * this home's agent jar and the embedded PostgreSQL of this home (both outlive a killed server).
   */
  @Override
  public void close() {
    try {
      if (isRunning()) {
        stop();
      }
    } finally {
      HostProcesses.terminate(agentProcesses(), Duration.ofSeconds(5));
      HostProcesses.terminate(databaseProcesses(), Duration.ofSeconds(10));
    }
  }

  /**
   * Live agent processes started from this home's agent jar, whichever server started them. A
   * sandboxed agent sees the jar at another path: only the bubblewrap around it names this one, so
   * its agent is the descendant of that which runs a jar of the same name.
   */
  public List<ProcessHandle> agentProcesses() {
    return HostProcesses.withCommandLineContaining(agentJar().toString()).stream()
        .flatMap(process -> isBwrap(process) ? process.descendants() : Stream.of(process))
        .filter(process -> !isBwrap(process))
        .filter(
            process ->
                HostProcesses.commandLine(process.pid())
                    .map(line -> line.contains(agentJar().getFileName().toString()))
                    .orElse(false))
        .filter(ProcessHandle::isAlive)
        .distinct()
        .toList();
  }

  private static boolean isBwrap(ProcessHandle process) {
    return process.info().command().orElse("").endsWith("/bwrap");
  }

  /** The live agent process of one worker, found by the worker id in its environment. */
  public List<ProcessHandle> agentProcessOf(String workerId) {
    List<ProcessHandle> agents = agentProcesses();
    return HostProcesses.withEnvironment("HODEI_WORKER_ID", workerId).stream()
        .filter(agents::contains)
        .toList();
  }

  private List<ProcessHandle> databaseProcesses() {
    // Only the postmaster: its own children end with it.
    String dataDirectory = home.resolve("postgres").toString();
    return HostProcesses.withCommandLineContaining(dataDirectory).stream()
        .filter(p -> p.parent().map(parent -> !isDatabase(parent, dataDirectory)).orElse(true))
        .toList();
  }

  private static boolean isDatabase(ProcessHandle process, String dataDirectory) {
    return HostProcesses.commandLine(process.pid())
        .map(line -> line.contains(dataDirectory))
        .orElse(false);
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(CoverageAgent.jvmOptions());
    systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(serverJar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().put("HODEI_HOME", home.toString());
    builder.environment().put("HODEI_HTTP_PORT", Integer.toString(port));
    appendToLog("---- starting: " + String.join(" ", command));
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    awaitReady();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the server exited with code "
                + process.exitValue()
                + " before it was ready; its log ("
                + log()
                + "):\n"
                + logTail());
      }
      if (answers200(ready)) {
        return;
      }
      pause(Duration.ofMillis(250));
    }
    process.destroyForcibly();
    awaitExit(process, STOP_TIMEOUT, "SIGKILL");
    throw new AssertionError(
        "the server was not ready within "
            + READY_TIMEOUT.toSeconds()
            + " s and was killed; its log ("
            + log()
            + "):\n"
            + logTail());
  }

  private boolean answers200(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server", e);
    }
  }

  private Process requireStarted() {
    if (process == null) {
      throw new IllegalStateException("the server was never started");
    }
    return process;
  }

  private void appendToLog(String line) {
    try {
      Files.writeString(
          log(),
          line + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + log(), e);
    }
  }

  private static void awaitExit(Process process, Duration timeout, String how) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "server process " + process.pid() + " did not exit after " + how);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server to exit", e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server", e);
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }

  private static Path serverJar() {
    Path jar = Path.of(requiredProperty("hodei.server.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no packaged server at " + jar + ": build the server first: ./mvnw install -DskipTests");
    }
    return jar;
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + name
              + " is not set; run the system tests through Maven (./mvnw verify -pl system-tests),"
              + " whose pom sets it");
    }
    return value;
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
  }
}
