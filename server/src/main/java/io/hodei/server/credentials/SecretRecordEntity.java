package io.hodei.server.credentials;

import io.hodei.credentials.store.SecretRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One encrypted version of an embedded secret, as a row of {@code secrets}. */
@Entity
@Table(name = "secrets")
@IdClass(SecretRecordEntity.Key.class)
public class SecretRecordEntity {

  /** The primary key: a name and one of its versions. */
  public record Key(String name, int version) implements Serializable {
    public Key() {
      this(null, 0);
    }
  }

  @Id public String name;
  @Id public int version;
  public byte[] nonce;
  public byte[] ciphertext;

  @Column(name = "key_id")
  public String keyId;

  @Column(name = "created_at")
  public Instant createdAt;

  static SecretRecordEntity of(SecretRecord record) {
    SecretRecordEntity entity = new SecretRecordEntity();
    entity.name = record.name();
    entity.version = record.version();
    entity.copyFrom(record);
    return entity;
  }

  void copyFrom(SecretRecord record) {
    nonce = record.nonce();
    ciphertext = record.ciphertext();
    keyId = record.keyId();
    createdAt = record.createdAt();
  }

  SecretRecord toRecord() {
    return new SecretRecord(name, version, nonce, ciphertext, keyId, createdAt);
  }
}
