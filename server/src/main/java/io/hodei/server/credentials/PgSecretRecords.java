package io.hodei.server.credentials;

import io.hodei.credentials.store.SecretRecord;
import io.hodei.credentials.store.SecretRecords;
import io.hodei.server.persistence.Db;
import io.hodei.server.persistence.UniqueViolation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The embedded store's records in PostgreSQL table {@code secrets}: ciphertext only. */
@ApplicationScoped
public class PgSecretRecords implements SecretRecords {

  private final Db db;

  public PgSecretRecords(Db db) {
    this.db = db;
  }

  @Override
  public void insert(SecretRecord record) {
    SecretRecordEntity.Key key = new SecretRecordEntity.Key(record.name(), record.version());
    try {
      Blocking.await(
          db.tx(
              session ->
                  session
                      .find(SecretRecordEntity.class, key)
                      .chain(
                          existing -> {
                            if (existing != null) {
                              throw exists(record);
                            }
                            return session.persist(SecretRecordEntity.of(record));
                          })),
          "storing a secret");
    } catch (RuntimeException e) {
      // Another writer committed the same version between our look and our insert.
      if (UniqueViolation.causes(e)) {
        throw exists(record);
      }
      throw e;
    }
  }

  private static IllegalStateException exists(SecretRecord record) {
    return new IllegalStateException(
        "secret " + record.name() + " v" + record.version() + " exists");
  }

  @Override
  public void replace(SecretRecord record) {
    SecretRecordEntity.Key key = new SecretRecordEntity.Key(record.name(), record.version());
    Blocking.await(
        db.tx(
            session ->
                session
                    .find(SecretRecordEntity.class, key)
                    .invoke(
                        existing -> {
                          if (existing == null) {
                            throw new IllegalStateException(
                                "secret " + record.name() + " v" + record.version() + " is gone");
                          }
                          existing.copyFrom(record);
                        })),
        "re-encrypting a secret");
  }

  @Override
  public List<SecretRecord> versions(String name) {
    return Blocking.await(
        db.tx(
            session ->
                session
                    .createSelectionQuery(
                        "from SecretRecordEntity where name = :name order by version",
                        SecretRecordEntity.class)
                    .setParameter("name", name)
                    .getResultList()
                    .map(rows -> rows.stream().map(SecretRecordEntity::toRecord).toList())),
        "reading a secret");
  }

  @Override
  public Optional<SecretRecord> latest(String name) {
    // Every fetch that misses the broker's cache lands here: one row, not the whole history.
    return Blocking.await(
        db.tx(
            session ->
                session
                    .createSelectionQuery(
                        "from SecretRecordEntity where name = :name order by version desc",
                        SecretRecordEntity.class)
                    .setParameter("name", name)
                    .setMaxResults(1)
                    .getResultList()
                    .map(rows -> rows.stream().findFirst().map(SecretRecordEntity::toRecord))),
        "reading a secret");
  }

  @Override
  public List<String> names() {
    return Blocking.await(
        db.tx(
            session ->
                session
                    .createSelectionQuery(
                        "select distinct name from SecretRecordEntity order by name", String.class)
                    .getResultList()),
        "listing secrets");
  }

  @Override
  public SortedMap<String, List<SecretRecord>> versionsUnder(String prefix) {
    return Blocking.await(
        db.tx(
            session ->
                session
                    .createSelectionQuery(
                        // substring, not like: a prefix may hold '%' or '_'.
                        "from SecretRecordEntity where substring(name, 1, :length) = :prefix"
                            + " order by name, version",
                        SecretRecordEntity.class)
                    .setParameter("length", prefix.length())
                    .setParameter("prefix", prefix)
                    .getResultList()
                    .map(
                        rows ->
                            rows.stream()
                                .map(SecretRecordEntity::toRecord)
                                .collect(
                                    Collectors.groupingBy(
                                        SecretRecord::name, TreeMap::new, Collectors.toList())))),
        "listing secrets");
  }

  @Override
  public boolean delete(String name) {
    return Blocking.await(
        db.tx(
            session ->
                session
                    .createMutationQuery("delete from SecretRecordEntity where name = :name")
                    .setParameter("name", name)
                    .executeUpdate()
                    .map(count -> count > 0)),
        "deleting a secret");
  }
}
