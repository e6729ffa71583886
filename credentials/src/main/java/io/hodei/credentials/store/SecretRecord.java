package io.hodei.credentials.store;

import java.time.Instant;
import java.util.Arrays;

/**
 * One encrypted version of an embedded secret, as stored. Holds no plaintext.
 *
 * @param name the secret's name (the path of a {@code local:} reference)
 * @param version 1 for the first value, one more for each rotation
 * @param nonce the 96-bit AES-GCM nonce, random per record
 * @param ciphertext the encrypted fields with the GCM tag
 * @param keyId which master key encrypted it (a fingerprint, not the key)
 * @param createdAt when this version was written
 */
public record SecretRecord(
    String name, int version, byte[] nonce, byte[] ciphertext, String keyId, Instant createdAt) {

  public SecretRecord {
    nonce = nonce.clone();
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecretRecord that
        && name.equals(that.name)
        && version == that.version
        && Arrays.equals(nonce, that.nonce)
        && Arrays.equals(ciphertext, that.ciphertext)
        && keyId.equals(that.keyId)
        && createdAt.equals(that.createdAt);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + version;
  }

  @Override
  public String toString() {
    return "SecretRecord[" + name + " v" + version + ", key " + keyId + "]";
  }
}
