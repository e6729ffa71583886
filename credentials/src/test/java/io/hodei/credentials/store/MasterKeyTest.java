package io.hodei.credentials.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {

  @TempDir Path home;
  private final SecureRandom random = new SecureRandom();

  @Test
  void createsTheKeyFileOwnerOnlyAndReadsTheSameKeyBack() throws Exception {
    Path file = home.resolve("secrets").resolve("master.key");

    MasterKey created = MasterKey.fromFile(file, random);
    MasterKey read = MasterKey.fromFile(file, random);

    assertThat(read.id()).isEqualTo(created.id());
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void refusesAKeyFileOthersMayRead() throws Exception {
    assumeTrue(home.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = home.resolve("master.key");
    MasterKey.fromFile(file, random);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> MasterKey.fromFile(file, random)).hasMessageContaining("chmod 600");
  }

  @Test
  void readsTheKeyFromTheEnvironmentAndNeverPrintsIt() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String encoded = Base64.getEncoder().encodeToString(bytes);

    MasterKey key =
        MasterKey.fromEnvironment(Map.of(MasterKey.ENVIRONMENT_VARIABLE, encoded)).orElseThrow();

    assertThat(key.toString()).doesNotContain(encoded).contains(key.id());
    assertThat(MasterKey.fromEnvironment(Map.of())).isEmpty();
    assertThatThrownBy(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> MasterKey.fromBase64("not base64!"))
        .hasMessageContaining("openssl rand");
  }
}
