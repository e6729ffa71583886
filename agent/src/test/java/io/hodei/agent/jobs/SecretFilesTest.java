package io.hodei.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hodei.protocol.v1.SecretFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

  @TempDir Path workDir;

  private static SecretFile file(String path, String content) {
    return SecretFile.newBuilder()
        .setPath(path)
        .setContent(ByteString.copyFromUtf8(content))
        .build();
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void writesOwnerOnlyFilesOutsideTheWorkspaceAndDeletesThemOnClose() throws Exception {
    SecretFiles secrets =
        SecretFiles.write(
            workDir, "job/7", 2, List.of(file("db.pass", "s3cret"), file("tls/key.pem", "KEY")));
    Path dir = secrets.directory();

    assertThat(dir).isEqualTo(workDir.resolve(".secrets/job_7-2"));
    assertThat(dir.resolve("db.pass")).hasContent("s3cret");
    assertThat(dir.resolve("tls/key.pem")).hasContent("KEY");
    assertThat(permissions(workDir.resolve(".secrets"))).isEqualTo("rwx------");
    assertThat(permissions(dir)).isEqualTo("rwx------");
    assertThat(permissions(dir.resolve("tls"))).isEqualTo("rwx------");
    assertThat(permissions(dir.resolve("db.pass"))).isEqualTo("rw-------");
    assertThat(permissions(dir.resolve("tls/key.pem"))).isEqualTo("rw-------");

    secrets.close();
    secrets.close();

    assertThat(dir).doesNotExist();
  }

  @Test
  void refusesPathsThatLeaveTheDirectoryAndWritesNothing() {
    for (String path : List.of("../escape", "/etc/passwd", "a/../../b", ".", "", "a//b")) {
      assertThatThrownBy(
              () -> SecretFiles.write(workDir, "j", 1, List.of(file("ok", "x"), file(path, "x"))))
          .as(path)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("relative path")
          .hasMessageNotContaining("x\"");
    }
    assertThat(workDir.resolve(".secrets")).doesNotExist();
    assertThat(workDir.getParent().resolve("escape")).doesNotExist();
  }

  @Test
  void replacesStaleFilesOfTheSameAttemptAndCleansLeftoversAtStart() throws Exception {
    Path stale = workDir.resolve(".secrets/j-1/old");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "old value");

    try (SecretFiles secrets = SecretFiles.write(workDir, "j", 1, List.of(file("new", "v")))) {
      assertThat(secrets.directory().resolve("old")).doesNotExist();
      assertThat(secrets.directory().resolve("new")).hasContent("v");
    }
    Files.createDirectories(workDir.resolve(".secrets/crashed-3"));
    Files.writeString(workDir.resolve(".secrets/crashed-3/token"), "left behind");

    SecretFiles.deleteLeftovers(workDir);

    assertThat(workDir.resolve(".secrets")).doesNotExist();
  }
}
