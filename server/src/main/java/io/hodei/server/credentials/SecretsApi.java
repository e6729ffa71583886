package io.hodei.server.credentials;

import io.hodei.core.FieldProblem;
import io.hodei.credentials.BackendException;
import io.hodei.credentials.SecretReference;
import io.hodei.credentials.audit.AuditAction;
import io.hodei.credentials.audit.AuditOutcome;
import io.hodei.credentials.broker.CredentialBroker;
import io.hodei.credentials.store.EmbeddedSecretStore;
import io.hodei.server.api.ApiException;
import io.hodei.server.api.Echo;
import io.hodei.server.persistence.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes and describes embedded secrets for the REST resources. Values go in and never come out;
 * every write and delete leaves an audit row naming who did it.
 */
@ApplicationScoped
public class SecretsApi {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.@+=-]{1,128}");
  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final int MAX_VALUE_BYTES = 64 * 1024;

  private final EmbeddedSecretStore store;
  private final CredentialBroker broker;
  private final Db db;
  private final Clock clock;

  public SecretsApi(EmbeddedSecretStore store, CredentialBroker broker, Db db, Clock clock) {
    this.store = store;
    this.broker = broker;
    this.db = db;
    this.clock = clock;
  }

  /** The body of a write: the secret's fields; a single value goes under {@code value}. */
  public record SecretWrite(Map<String, String> fields) {}

  /** One stored version, without its value. */
  public record VersionView(int version, Instant createdAt) {}

  /** A secret as the API shows it: how to reference it and its versions, never its value. */
  public record SecretView(String name, String reference, List<VersionView> versions) {}

  /** Who acts, and the part of the store they act in. */
  public record Scope(String prefix, String actor, String tenant) {}

  public List<SecretView> list(Scope scope) {
    return store.versionsUnder(scope.prefix()).entrySet().stream()
        .filter(e -> !scope.prefix().isEmpty() || !e.getKey().startsWith("tenants/"))
        .map(e -> view(scope, e.getKey(), e.getValue()))
        .toList();
  }

  public SecretView get(Scope scope, String name) {
    String stored = stored(scope, name);
    if (store.versions(stored).isEmpty()) {
      throw ApiException.notFound("no secret named " + Echo.of(name));
    }
    return view(scope, stored);
  }

  /** Creates the secret, or adds a version; returns whether it was new. */
  public boolean write(Scope scope, String name, SecretWrite body) {
    String stored = stored(scope, name);
    Map<String, String> fields = validFields(body);
    // One step: of identical writes at once, one creates and the others add versions.
    boolean created = store.put(stored, fields).version() == 1;
    audit(scope, stored, AuditAction.WRITE, created ? "created" : "new version");
    // Holders get the new version now, not at the next scheduled re-read.
    broker.refreshSoon(new SecretReference(EmbeddedSecretStore.SCHEME, stored));
    return created;
  }

  public void delete(Scope scope, String name) {
    String stored = stored(scope, name);
    if (!store.delete(stored)) {
      throw ApiException.notFound("no secret named " + Echo.of(name));
    }
    audit(scope, stored, AuditAction.DELETE, "deleted with every version");
  }

  private SecretView view(Scope scope, String stored) {
    return view(scope, stored, store.versions(stored));
  }

  private static SecretView view(
      Scope scope, String stored, List<EmbeddedSecretStore.VersionInfo> infos) {
    List<VersionView> versions =
        infos.stream().map(info -> new VersionView(info.version(), info.createdAt())).toList();
    return new SecretView(
        stored.substring(scope.prefix().length()),
        EmbeddedSecretStore.SCHEME + ":" + stored,
        versions);
  }

  private static String stored(Scope scope, String name) {
    List<FieldProblem> problems = new ArrayList<>();
    if (name == null || name.length() > 256) {
      problems.add(new FieldProblem("name", "is required, up to 256 characters"));
    } else {
      for (String segment : name.split("/", -1)) {
        if (!SEGMENT.matcher(segment).matches() || segment.equals("..") || segment.equals(".")) {
          problems.add(
              new FieldProblem(
                  "name",
                  "is one or more '/'-separated parts of letters, digits and _.@+=- (no empty"
                      + " part, no '.' or '..'): "
                      + Echo.of(name)));
          break;
        }
      }
      if (problems.isEmpty() && scope.prefix().isEmpty() && name.startsWith("tenants/")) {
        problems.add(
            new FieldProblem(
                "name", "tenants/ holds tenants' secrets; manage them through /api/v1/secrets"));
      }
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest("the secret name is invalid", problems);
    }
    return scope.prefix() + name;
  }

  private static Map<String, String> validFields(SecretWrite body) {
    List<FieldProblem> problems = new ArrayList<>();
    if (body == null || body.fields() == null || body.fields().isEmpty()) {
      problems.add(
          new FieldProblem("fields", "is required: at least one field, e.g. {\"value\": \"...\"}"));
    } else {
      int bytes = 0;
      for (Map.Entry<String, String> field : body.fields().entrySet()) {
        if (!FIELD.matcher(field.getKey()).matches()) {
          problems.add(
              new FieldProblem(
                  "fields." + Echo.of(field.getKey()),
                  "a field name is 1 to 64 letters, digits and _.-"));
        }
        if (field.getValue() == null || field.getValue().isEmpty()) {
          problems.add(
              new FieldProblem("fields." + Echo.of(field.getKey()), "needs a non-empty value"));
        } else {
          bytes += field.getValue().length();
        }
      }
      if (bytes > MAX_VALUE_BYTES) {
        problems.add(new FieldProblem("fields", "holds more than 64 KiB; store less"));
      }
    }
    if (!problems.isEmpty()) {
      // The message names fields only: a value, even a rejected one, is never echoed.
      throw ApiException.badRequest("the secret is invalid", problems);
    }
    return Map.copyOf(body.fields());
  }

  private void audit(Scope scope, String stored, AuditAction action, String detail) {
    AuditEntryEntity row = new AuditEntryEntity();
    row.at = clock.instant();
    row.action = action.name();
    row.callerKind = "API_USER";
    row.callerName = scope.actor();
    row.tenant = scope.tenant();
    row.reference = EmbeddedSecretStore.SCHEME + ":" + stored;
    row.outcome = AuditOutcome.SUCCESS.name();
    row.detail = detail;
    try {
      Blocking.await(db.tx(session -> session.persist(row)), "auditing a secret write");
    } catch (RuntimeException e) {
      throw new BackendException(
          BackendException.Kind.UNAVAILABLE, "the write was stored but its audit entry was not", e);
    }
  }
}
