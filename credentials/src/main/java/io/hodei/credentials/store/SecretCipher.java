package io.hodei.credentials.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM over a secret's fields. The name and version are authenticated with each record, so a
 * record copied under another name or version fails to decrypt instead of serving wrong data.
 */
final class SecretCipher {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random;

  SecretCipher(SecureRandom random) {
    this.random = random;
  }

  /** The encrypted fields, with a fresh nonce. */
  SecretRecord encrypt(
      MasterKey key, String name, int version, Map<String, String> fields, java.time.Instant at) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(name, version));
      byte[] ciphertext = cipher.doFinal(serialize(fields));
      return new SecretRecord(name, version, nonce, ciphertext, key.id(), at);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed; the Java runtime lacks AES", e);
    }
  }

  Map<String, String> decrypt(MasterKey key, SecretRecord record) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, record.nonce()));
      cipher.updateAAD(associatedData(record.name(), record.version()));
      return deserialize(cipher.doFinal(record.ciphertext()));
    } catch (AEADBadTagException e) {
      throw new IllegalStateException(
          record
              + " does not decrypt with master key "
              + key.id()
              + ": the record was altered or moved, or this is the wrong master key",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed for " + record, e);
    }
  }

  private static byte[] associatedData(String name, int version) {
    return (name + "\u0000" + version).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] serialize(Map<String, String> fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(fields.size());
      for (Map.Entry<String, String> field : fields.entrySet()) {
        writeString(out, field.getKey());
        writeString(out, field.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private static Map<String, String> deserialize(byte[] plaintext) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plaintext))) {
      int count = in.readInt();
      Map<String, String> fields = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        fields.put(readString(in), readString(in));
      }
      return fields;
    } catch (IOException e) {
      throw new IllegalStateException("a decrypted secret is malformed", e);
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
