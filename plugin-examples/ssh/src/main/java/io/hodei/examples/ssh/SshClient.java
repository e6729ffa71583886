package io.hodei.examples.ssh;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs shell scripts on a host through the system's OpenSSH client. The script travels on standard
 * input to {@code sh -s}, so nothing in it, secrets included, shows on a command line.
 */
final class SshClient {

  /** What a remote script printed and how it exited. */
  record Result(int exitCode, String stdout, String stderr) {}

  /** OpenSSH's own exit code for "could not connect or log in". */
  private static final int SSH_FAILED = 255;

  private final SshSettings settings;

  SshClient(SshSettings settings) {
    this.settings = settings;
  }

  /** Runs {@code script} on {@code host}; a non-zero exit of the script is the caller's to read. */
  Result run(SshHost host, String script) {
    List<String> command =
        List.of(
            "ssh",
            "-T",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=" + Math.max(1, settings.commandTimeout().toSeconds()),
            "-o",
            "StrictHostKeyChecking=" + (settings.strictHostKeyChecking() ? "yes" : "accept-new"),
            "-o",
            "UserKnownHostsFile=" + settings.knownHostsFile(),
            "-i",
            settings.identityFile().toString(),
            "-p",
            Integer.toString(host.port()),
            "-l",
            host.user(),
            "--",
            host.host(),
            "sh -s");
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "cannot run the ssh client (" + e.getMessage() + "); install OpenSSH's client",
          e);
    }
    try {
      // Readers first: a chatty script must not block on a full pipe while we write.
      Drain stdout = Drain.start(process.getInputStream());
      Drain stderr = Drain.start(process.getErrorStream());
      try (OutputStream in = process.getOutputStream()) {
        in.write(script.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new ProviderException(
            ErrorCode.TIMEOUT,
            "ssh to " + host + " did not finish within " + settings.commandTimeout());
      }
      Result result = new Result(process.exitValue(), stdout.text(), stderr.text());
      if (result.exitCode() == SSH_FAILED) {
        throw connectionFailure(host, result.stderr());
      }
      return result;
    } catch (IOException e) {
      process.destroyForcibly();
      throw new ProviderException(ErrorCode.UNAVAILABLE, "ssh to " + host + " failed: " + e, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ProviderException(ErrorCode.TIMEOUT, "interrupted while talking to " + host, e);
    }
  }

  private ProviderException connectionFailure(SshHost host, String stderr) {
    String why = stderr.strip();
    if (why.contains("Host key verification failed")
        || why.contains("IDENTIFICATION HAS CHANGED")) {
      return new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "the host key of "
              + host
              + " is not the one in knownHostsFile "
              + settings.knownHostsFile()
              + "; add it (ssh-keyscan -p PORT HOST) after checking it: "
              + why);
    }
    if (why.contains("Permission denied")) {
      return new ProviderException(
          ErrorCode.AUTHENTICATION,
          host + " refused the key " + settings.identityFile() + ": " + why);
    }
    return new ProviderException(ErrorCode.UNAVAILABLE, "cannot reach " + host + ": " + why);
  }

  /** Reads a stream to its end on its own thread, which ends with the stream. */
  private static final class Drain {
    private final Thread thread;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private Drain(InputStream in) {
      this.thread =
          new Thread(
              () -> {
                try (in) {
                  in.transferTo(buffer);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              "ssh-output");
      thread.setDaemon(true);
    }

    static Drain start(InputStream in) {
      Drain drain = new Drain(in);
      drain.thread.start();
      return drain;
    }

    String text() throws InterruptedException {
      thread.join();
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
