package io.hodei.examples.ssh;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.WorkerSpec;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The POSIX shell scripts the provider sends to a host. A worker lives in {@code
 * <workDir>/<workerId>} with {@code worker.properties} (pid, start time, owner, labels) and {@code
 * worker.log}; it runs as the leader of its own session, so its process group is its pid.
 */
final class RemoteScripts {

  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final SshSettings settings;

  RemoteScripts(SshSettings settings) {
    this.settings = settings;
  }

  static boolean isValidWorkerId(String workerId) {
    return workerId != null && WORKER_ID.matcher(workerId).matches();
  }

  /**
   * {@code starttime} prints a process's start time in clock ticks, which tells it from a later
   * process given the same pid; {@code alive} checks pid and start time, zombies count as dead;
   * {@code describe} prints a worker's block for {@link RemoteWorker#parse}.
   */
  static String describeFunctions() {
    return """
        starttime() {
          [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
          set -- $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null)
          [ "$#" -ge 20 ] && [ "$1" != Z ] || return 1
          shift 19
          echo "$1"
        }
        alive() {
          now=$(starttime "$1") || return 1
          [ "$now" = "$2" ]
        }
        describe() {
          f="$1/worker.properties"
          [ -f "$f" ] || return 0
          echo '%s'
          cat "$f"
          pid=$(sed -n 's/^pid=//p' "$f")
          start=$(sed -n 's/^start=//p' "$f")
          if alive "$pid" "$start"; then echo alive=true; else echo alive=false; fi
        }
        """
        .formatted(RemoteWorker.MARKER);
  }

  /** Every worker on the host, of any installation, so that load counts them all. */
  String inventory() {
    return describeFunctions()
        + "workdir="
        + quote(settings.workDir())
        + "\n"
        + """
        [ -d "$workdir" ] || exit 0
        for d in "$workdir"/*/; do
          [ -d "$d" ] && describe "${d%/}"
        done
        exit 0
        """;
  }

  String status(String workerId) {
    return describeFunctions() + dir(workerId) + "describe \"$dir\"\n";
  }

  /** Writes the env file (owner-only) and state file, and starts the worker detached. */
  String provision(WorkerSpec spec, String installationId, String instanceName) {
    String delimiter = "HODEI_END_" + UUID.randomUUID().toString().replace("-", "");
    StringBuilder env = new StringBuilder();
    new TreeMap<>(spec.env())
        .forEach(
            (name, value) -> {
              if (!ENV_NAME.matcher(name).matches()) {
                throw invalidSpec("environment variable name '" + name + "' is not portable");
              }
              env.append("export ").append(name).append('=').append(quote(value)).append('\n');
            });
    StringBuilder state = new StringBuilder();
    state.append(line("worker.id", spec.workerId()));
    state.append(line("installation", installationId));
    state.append(line("provider.instance", instanceName));
    new TreeMap<>(spec.labels()).forEach((k, v) -> state.append(line("label." + k, v)));
    if (env.toString().contains(delimiter) || state.toString().contains(delimiter)) {
      throw invalidSpec("the spec contains the script's own delimiter; try again");
    }
    return describeFunctions()
        + "set -eu\n"
        + dir(spec.workerId())
        + """
        if [ -f "$dir/worker.properties" ]; then describe "$dir"; exit 0; fi
        mkdir -p "$dir"
        chmod 700 "$dir"
        cd "$dir"
        umask 077
        cat > worker.env <<'@D'
        @ENV@D
        cat > worker.run <<'@D'
        . ./worker.env
        rm -f ./worker.env
        exec @COMMAND
        @D
        setsid sh ./worker.run > worker.log 2>&1 < /dev/null &
        pid=$!
        start=$(starttime "$pid" || echo gone)
        {
        cat <<'@D'
        @STATE@D
        echo "pid=$pid"
        echo "start=$start"
        } > worker.properties.tmp
        mv worker.properties.tmp worker.properties
        describe .
        """
            .replace("@ENV", env)
            .replace("@STATE", state)
            .replace("@COMMAND", settings.agentCommand())
            .replace("@D", delimiter);
  }

  /**
   * Ends the worker's process group, SIGTERM then SIGKILL, and removes its directory; only a worker
   * of this installation and instance, and only a group whose leader is verified ours.
   */
  String terminate(String workerId, String installationId, String instanceName) {
    long graceTicks = Math.max(1, settings.terminationGrace().toMillis() / 200);
    return describeFunctions()
        + dir(workerId)
        + "installation="
        + quote(installationId)
        + "\ninstance="
        + quote(instanceName)
        + "\ngrace="
        + graceTicks
        + "\n"
        + """
        f="$dir/worker.properties"
        [ -f "$f" ] || exit 0
        grep -qxF "installation=$installation" "$f" || exit 0
        grep -qxF "provider.instance=$instance" "$f" || exit 0
        pid=$(sed -n 's/^pid=//p' "$f")
        start=$(sed -n 's/^start=//p' "$f")
        if alive "$pid" "$start"; then
          kill -TERM "-$pid" 2>/dev/null || true
          n=0
          while alive "$pid" "$start" && [ "$n" -lt "$grace" ]; do sleep 0.2; n=$((n + 1)); done
          kill -KILL "-$pid" 2>/dev/null || true
          n=0
          while alive "$pid" "$start" && [ "$n" -lt 25 ]; do sleep 0.2; n=$((n + 1)); done
          if alive "$pid" "$start"; then echo "process $pid survived SIGKILL" >&2; exit 4; fi
        fi
        rm -rf "$dir"
        """;
  }

  /** Reads a worker process's environment, for tests and diagnosis. */
  String environment(String pid) {
    return "tr '\\0' '\\n' < /proc/" + Long.parseLong(pid) + "/environ\n";
  }

  private String dir(String workerId) {
    return "dir=" + quote(settings.workDir() + "/" + workerId) + "\n";
  }

  private static String line(String key, String value) {
    if (key.contains("\n") || key.contains("=") || value.contains("\n")) {
      throw invalidSpec("label or id '" + key + "' holds a line break or '='");
    }
    return key + "=" + value + "\n";
  }

  /** Single-quotes a value for sh: nothing inside is expanded. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\"'\"'") + "'";
  }

  private static ProviderException invalidSpec(String problem) {
    return new ProviderException(ErrorCode.INVALID_SPEC, problem);
  }
}
