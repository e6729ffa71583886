package io.hodei.credentials.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** The 256-bit key that encrypts the embedded store; never printed. */
public final class MasterKey {

  /** The environment variable that may hold the key, base64-encoded. */
  public static final String ENVIRONMENT_VARIABLE = "HODEI_MASTER_KEY";

  private static final int BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final SecretKey key;
  private final String id;

  private MasterKey(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "a master key is 32 bytes (256 bits), base64-encoded; this one has " + bytes.length);
    }
    this.key = new SecretKeySpec(bytes, "AES");
    this.id = fingerprint(bytes);
  }

  /** A fresh random key, e.g. to rotate to. */
  public static MasterKey generate(SecureRandom random) {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return new MasterKey(bytes);
  }

  public static MasterKey fromBase64(String encoded) {
    try {
      return new MasterKey(Base64.getDecoder().decode(encoded.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the master key is not valid base64 of 32 bytes; generate one with"
              + " 'openssl rand -base64 32'",
          e);
    }
  }

  /** The key from {@link #ENVIRONMENT_VARIABLE} in {@code environment}, if set there. */
  public static java.util.Optional<MasterKey> fromEnvironment(Map<String, String> environment) {
    return java.util.Optional.ofNullable(environment.get(ENVIRONMENT_VARIABLE))
        .filter(value -> !value.isBlank())
        .map(MasterKey::fromBase64);
  }

  /**
   * The key in {@code file}, created with a new random key and owner-only permissions if absent.
   * Refuses a file that others may read.
   */
  public static MasterKey fromFile(Path file, SecureRandom random) {
    try {
      if (!Files.exists(file)) {
        MasterKey created = generate(random);
        write(file, Base64.getEncoder().encode(created.key.getEncoded()));
        return created;
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null && !OWNER_ONLY.containsAll(posix.readAttributes().permissions())) {
        throw new IllegalStateException(
            "the master key file "
                + file
                + " may be read by others; restrict it with 'chmod 600 "
                + file
                + "'");
      }
      return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the master key file " + file, e);
    }
  }

  private static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (posix) {
        // Created owner-only from the start, so the key is never readable by others.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(file);
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        file.toFile().setWritable(false, false);
        file.toFile().setWritable(true, true);
      }
    } catch (FileAlreadyExistsException raced) {
      throw new IllegalStateException("the master key file " + file + " appeared meanwhile", raced);
    }
    Files.write(file, content);
  }

  /** A fingerprint naming this key in records; reveals nothing of it. */
  public String id() {
    return id;
  }

  SecretKey secretKey() {
    return key;
  }

  private static String fingerprint(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[" + id + "]";
  }
}
