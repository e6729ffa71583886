package io.hodei.examples.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on a loopback port, with its own host key and one authorized client key,
 * all generated in a temporary directory. Logs in as the user running the tests.
 */
final class LoopbackSshd implements AutoCloseable {

  private static final Path SSHD = Path.of("/usr/sbin/sshd");

  private final Path dir;
  private final int port;
  private final Process process;

  private LoopbackSshd(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Starts sshd, or fails with what is missing: these tests need a real server, never a skip. */
  static LoopbackSshd start(Path dir) throws Exception {
    if (!Files.isExecutable(SSHD)) {
      throw new IllegalStateException(
          SSHD + " is missing: install OpenSSH's server (Debian: apt-get install openssh-server)");
    }
    run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "host_key");
    run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "client_key");
    run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "stranger_key");
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    int port = freePort();
    Files.writeString(
        dir.resolve("sshd_config"),
        String.join(
            "\n",
            "ListenAddress 127.0.0.1",
            "HostKey " + dir.resolve("host_key"),
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "UsePAM no",
            // The temporary directory's modes are not sshd's business here.
            "StrictModes no",
            ""));
    String hostKey = Files.readString(dir.resolve("host_key.pub")).trim();
    String[] keyParts = hostKey.split(" ");
    Files.writeString(
        dir.resolve("known_hosts"),
        "[127.0.0.1]:" + port + " " + keyParts[0] + " " + keyParts[1] + "\n");
    // sshd refuses to start as root without its privilege separation directory.
    Path privsep = Path.of("/run/sshd");
    if (!Files.isDirectory(privsep)) {
      Files.createDirectories(privsep);
    }
    Process process =
        new ProcessBuilder(
                SSHD.toString(),
                "-D",
                "-e",
                "-f",
                dir.resolve("sshd_config").toString(),
                "-p",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    LoopbackSshd sshd = new LoopbackSshd(dir, port, process);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!sshd.accepting()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        sshd.close();
        throw new IllegalStateException(
            "sshd did not start on 127.0.0.1:"
                + port
                + "; its log says:\n"
                + Files.readString(dir.resolve("sshd.log")));
      }
      Thread.sleep(50);
    }
    return sshd;
  }

  int port() {
    return port;
  }

  String hostSetting() {
    return System.getProperty("user.name") + "@127.0.0.1:" + port;
  }

  Path clientKey() {
    return dir.resolve("client_key");
  }

  /** A key the server does not accept. */
  Path strangerKey() {
    return dir.resolve("stranger_key");
  }

  Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  String log() throws IOException {
    return Files.readString(dir.resolve("sshd.log"));
  }

  private boolean accepting() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server this object started, by its own process; sessions end with it. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void run(Path dir, String... command) throws Exception {
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }
}
