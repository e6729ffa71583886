package io.hodei.server.security;

import io.hodei.server.home.HodeiHome;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The installation's admin API token, for setups without an identity provider. Created on first
 * start in {@code <home>/admin-token}, readable by its owner only; the server keeps just its hash.
 */
@ApplicationScoped
public class AdminToken {

  private static final Logger LOG = Logger.getLogger(AdminToken.class);
  static final String FILE_NAME = "admin-token";

  private final Path file;
  private volatile byte[] hash;

  public AdminToken(@ConfigProperty(name = "hodei.home") Path home) {
    this.file = home.resolve(FILE_NAME);
  }

  void onStart(@Observes StartupEvent event) {
    load();
  }

  /** Whether {@code presented} is the admin token; constant-time on the hashes. */
  public boolean matches(String presented) {
    if (hash == null) {
      load();
    }
    return presented != null && MessageDigest.isEqual(hash, sha256(presented.trim()));
  }

  private synchronized void load() {
    if (hash != null) {
      return;
    }
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "hodei_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        HodeiHome.ownerOnly(file);
        LOG.infof(
            "Created the admin API token in %s (owner-only). Use it as 'Authorization: Bearer"
                + " <token>'.",
            file);
      } else {
        LOG.infof("The admin API token is in %s", file);
      }
      hash = sha256(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read the admin token in " + file, e);
    }
  }

  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
