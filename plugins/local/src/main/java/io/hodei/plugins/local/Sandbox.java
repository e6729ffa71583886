package io.hodei.plugins.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How this instance isolates its workers: a bubblewrap sandbox per worker, or none. Decided once at
 * initialize by running a probe through the very arguments workers get, so that a host where {@code
 * bwrap} is missing or refused says so instead of starting workers that are not isolated without
 * anyone knowing.
 *
 * <p>A sandboxed worker has its own PID, mount, IPC and UTS namespaces. It sees read-only the
 * configured system paths, its agent's runtime and files, and writable only its own work directory
 * (at {@link #WORK}) and a private {@code /tmp}. The network is the host's, so that it can reach
 * the server on loopback.
 */
final class Sandbox {

  /** Where a sandboxed worker finds its own work directory. */
  static final String WORK = "/worker";

  /** Where files named in the agent command (the agent jar) appear inside the sandbox. */
  static final String AGENT_FILES = "/run/hodei/agent";

  /** How a worker ends up as an unprivileged user. */
  enum Mode {
    /** Not isolated: the worker is a plain process of the server's user. */
    NONE,
    /**
     * The server runs as root: bwrap sets up the namespaces, then {@code setpriv} drops to the
     * sandbox user with no capabilities, so the worker is another user on the host too.
     */
    ROOT_THEN_SETPRIV,
    /**
     * An unprivileged user namespace: the worker is the sandbox user inside, and the server's user
     * without any capability outside.
     */
    USER_NAMESPACE
  }

  private static final long PROBE_SECONDS = 20;

  private final LocalSettings settings;
  private final Mode mode;
  private final String detail;
  private final Optional<Path> bwrap;
  private final Optional<Path> setpriv;

  private Sandbox(
      LocalSettings settings,
      Mode mode,
      String detail,
      Optional<Path> bwrap,
      Optional<Path> setpriv) {
    this.settings = settings;
    this.mode = mode;
    this.detail = detail;
    this.bwrap = bwrap;
    this.setpriv = setpriv;
  }

  /**
   * Finds bwrap, picks the mode for this host and proves it works with a probe in {@code probe}.
   */
  static Sandbox probe(LocalSettings settings, Path probe) {
    if (!settings.sandbox()) {
      return none(settings, "not isolated: the sandbox is turned off (sandbox=false)");
    }
    String path = System.getenv("PATH");
    Optional<Path> bwrap = CommandLine.parse(settings.bwrap()).resolveExecutable(path);
    if (bwrap.isEmpty()) {
      return none(
          settings,
          "not isolated: bwrap not found ('"
              + settings.bwrap()
              + "'); install bubblewrap, or set sandbox=false to accept unisolated workers");
    }
    Mode mode = Mode.USER_NAMESPACE;
    Optional<Path> setpriv = Optional.empty();
    if (runsAsRoot()) {
      setpriv =
          CommandLine.parse("setpriv").resolveExecutable(path).filter(p -> visible(settings, p));
      if (setpriv.isEmpty()) {
        return none(
            settings,
            "not isolated: the server runs as root and setpriv (util-linux) is not in a"
                + " sandboxReadOnly path, so workers could not drop root");
      }
      mode = Mode.ROOT_THEN_SETPRIV;
    }
    Sandbox candidate =
        new Sandbox(settings, mode, describe(settings, mode, bwrap.get()), bwrap, setpriv);
    Optional<String> failure = candidate.tryOnce(probe);
    return failure
        .map(reason -> none(settings, "not isolated: the bwrap probe failed: " + reason))
        .orElse(candidate);
  }

  private static Sandbox none(LocalSettings settings, String why) {
    return new Sandbox(settings, Mode.NONE, why, Optional.empty(), Optional.empty());
  }

  boolean isolated() {
    return mode != Mode.NONE;
  }

  Mode mode() {
    return mode;
  }

  /** How workers are isolated, or why they are not; for health and the handles' attributes. */
  String detail() {
    return detail;
  }

  /**
   * Makes {@code work}, the worker's own writable directory, belong to the user the worker runs as.
   */
  void prepare(Path work) throws IOException {
    if (mode == Mode.ROOT_THEN_SETPRIV) {
      Files.setAttribute(work, "unix:uid", settings.sandboxUid());
      Files.setAttribute(work, "unix:gid", settings.sandboxGid());
    }
  }

  /** The working directory the worker's process starts in, on the host. */
  Path hostDirectory(Path work) {
    // bwrap itself starts in the (server-only) worker directory; only its child changes into work.
    return isolated() ? work.getParent() : work;
  }

  /**
   * The command that starts {@code agent} for the worker whose writable directory is {@code work}.
   * Unisolated, it is {@code agent} as given.
   */
  List<String> wrap(List<String> agent, Path work, Map<String, String> env) {
    if (!isolated()) {
      return agent;
    }
    List<String> args = new ArrayList<>();
    args.add(bwrap.orElseThrow().toString());
    args.addAll(List.of("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"));
    args.addAll(List.of("--hostname", "hodei-worker"));
    if (mode == Mode.USER_NAMESPACE) {
      args.addAll(
          List.of(
              "--unshare-user",
              "--uid",
              Integer.toString(settings.sandboxUid()),
              "--gid",
              Integer.toString(settings.sandboxGid())));
    }
    for (Path path : settings.sandboxReadOnly()) {
      args.addAll(List.of("--ro-bind-try", path.toString(), path.toString()));
    }
    // Every user may write the private /tmp, as on any host.
    args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"));
    List<String> command = new ArrayList<>(agent);
    bindExecutable(command, args);
    bindFileArguments(command, args);
    // A CA bundle the agent is told to trust must be readable where it was said to be.
    Optional.ofNullable(env.get("HODEI_SERVER_CA_FILE"))
        .filter(ca -> ca.startsWith("/"))
        .filter(ca -> Files.isRegularFile(Path.of(ca)))
        .ifPresent(
            ca -> {
              parents(Path.of(ca), args);
              args.addAll(List.of("--ro-bind", ca, ca));
            });
    args.addAll(List.of("--bind", work.toString(), WORK, "--chdir", WORK));
    // The server's HOME and TMPDIR do not exist in here.
    args.addAll(List.of("--setenv", "HOME", WORK, "--setenv", "TMPDIR", "/tmp"));
    args.add("--");
    if (mode == Mode.ROOT_THEN_SETPRIV) {
      args.addAll(
          List.of(
              setpriv.orElseThrow().toString(),
              "--reuid=" + settings.sandboxUid(),
              "--regid=" + settings.sandboxGid(),
              "--clear-groups",
              "--inh-caps=-all",
              "--bounding-set=-all",
              "--"));
    }
    args.addAll(command);
    return args;
  }

  /**
   * An executable outside the read-only paths (a JDK under /opt, say) is made visible with its
   * whole installation: the directory above its {@code bin}.
   */
  private void bindExecutable(List<String> command, List<String> args) {
    Optional<Path> resolved =
        new CommandLine(command).resolveExecutable(System.getenv("PATH")).map(Sandbox::real);
    if (resolved.isEmpty() || visible(settings, resolved.get())) {
      return;
    }
    Path executable = resolved.get();
    Path directory = executable.getParent();
    Path installation =
        directory.getFileName() != null
                && directory.getFileName().toString().equals("bin")
                && directory.getParent() != null
            ? directory.getParent()
            : directory;
    parents(installation, args);
    args.addAll(List.of("--ro-bind", installation.toString(), installation.toString()));
    command.set(0, executable.toString());
  }

  /**
   * Files named in the command (the agent jar, usually inside the Hodei home) are mounted one by
   * one under {@link #AGENT_FILES}, so that no directory around them exists in the sandbox.
   */
  private void bindFileArguments(List<String> command, List<String> args) {
    for (int i = 1; i < command.size(); i++) {
      String argument = command.get(i);
      if (!argument.startsWith("/")) {
        continue;
      }
      Path file = Path.of(argument);
      if (!Files.isRegularFile(file) || visible(settings, real(file))) {
        continue;
      }
      String inside = AGENT_FILES + "/" + i + "/" + file.getFileName();
      parents(Path.of(inside), args);
      args.addAll(List.of("--ro-bind", file.toString(), inside));
      command.set(i, inside);
    }
  }

  /**
   * Creates the directories above a mount point, readable by all: bwrap would make them owner-only,
   * and the owner is not the user the worker runs as.
   */
  private void parents(Path target, List<String> args) {
    Path parent = target.getParent();
    List<Path> missing = new ArrayList<>();
    while (parent != null && parent.getParent() != null && !visible(settings, parent)) {
      missing.add(0, parent);
      parent = parent.getParent();
    }
    for (Path directory : missing) {
      args.addAll(List.of("--perms", "0755", "--dir", directory.toString()));
    }
  }

  /** Runs {@code true} the way a worker would be run; the reason when it does not work. */
  private Optional<String> tryOnce(Path probe) {
    Path work = probe.resolve("work");
    try {
      WorkerStore.deleteTree(probe);
      Files.createDirectories(work);
      prepare(work);
      Optional<Path> trueCommand =
          CommandLine.parse("true").resolveExecutable(System.getenv("PATH"));
      if (trueCommand.isEmpty()) {
        return Optional.of("'true' is not on PATH");
      }
      Process process =
          new ProcessBuilder(wrap(List.of(trueCommand.get().toString()), work, Map.of()))
              .directory(probe.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readNBytes(2000), StandardCharsets.UTF_8).trim();
      }
      if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.of("it did not end within " + PROBE_SECONDS + "s");
      }
      if (process.exitValue() != 0) {
        return Optional.of(
            "exit code " + process.exitValue() + (output.isEmpty() ? "" : ": " + output));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } finally {
      try {
        WorkerStore.deleteTree(probe);
      } catch (IOException e) {
        // A leftover probe directory is harmless; the next initialize removes it.
      }
    }
  }

  private static String describe(LocalSettings settings, Mode mode, Path bwrap) {
    String user = "uid " + settings.sandboxUid() + ", gid " + settings.sandboxGid();
    return "isolated by "
        + bwrap
        + ": own PID, mount, IPC and UTS namespaces; "
        + (mode == Mode.ROOT_THEN_SETPRIV
            ? "runs as " + user + " on the host"
            : "runs as " + user + " in a user namespace")
        + "; shares the host's kernel and network";
  }

  /** Whether {@code path} is under one of the read-only paths a sandboxed worker sees. */
  private static boolean visible(LocalSettings settings, Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    return settings.sandboxReadOnly().stream().anyMatch(absolute::startsWith);
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static boolean runsAsRoot() {
    try {
      // /proc/self belongs to the process's effective user.
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
