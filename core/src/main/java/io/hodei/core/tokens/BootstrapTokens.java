package io.hodei.core.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes one-time secrets (bootstrap and session tokens) and the hashes under which they are stored.
 * Only the hash is ever persisted: a database dump cannot register a worker.
 */
public final class BootstrapTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private BootstrapTokens() {}

  /** A new random token with 256 bits of entropy and a recognisable prefix. */
  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The SHA-256 hex digest under which a token is stored and looked up. */
  public static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
