package io.hodei.credentials.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.Logical;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.response.DataMetadata;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.rest.Rest;
import io.github.jopenlibs.vault.rest.RestException;
import io.github.jopenlibs.vault.rest.RestResponse;
import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import io.hodei.credentials.Lease;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretBackend;
import io.hodei.credentials.SecretReference;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HashiCorp Vault as a secret backend: KV v2 secrets with versions and dynamic secrets with leases,
 * through vault-java-driver. Path rules are those of {@link VaultPath}. Each call is one attempt
 * (plus one after a fresh login when Vault refuses an expired token); retries are the broker's.
 */
public final class VaultBackend implements SecretBackend {

  public static final String SCHEME = "vault";

  private final VaultSettings settings;
  private final HttpClient http;
  private final Clock clock;
  private final VaultSession session;

  public VaultBackend(VaultSettings settings) {
    this(settings, Clock.systemUTC());
  }

  VaultBackend(VaultSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.openTimeout()).build();
    this.session = new VaultSession(settings, http, clock);
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Secret read(SecretReference reference) {
    VaultPath path = parse(reference);
    String operation = "read of " + reference;
    LogicalResponse response =
        call(
            operation,
            token -> {
              Logical logical =
                  session.client(token.value(), path.kv() ? 2 : 1, path.mountDepth()).logical();
              LogicalResponse answer =
                  path.version().isPresent()
                      ? logical.read(path.path(), false, path.version().get())
                      : logical.read(path.path());
              // The driver returns 4xx answers instead of throwing; 403 must reach the session.
              if (answer.getRestResponse().getStatus() == 403) {
                throw VaultSession.forbidden();
              }
              return answer;
            });
    int status = response.getRestResponse().getStatus();
    if (status != 200) {
      throw VaultErrors.status(status, operation);
    }
    return path.kv() ? kvSecret(reference, response) : leasedSecret(reference, response);
  }

  @Override
  public Secret renew(Secret secret) {
    Lease lease = leaseOf(secret, "renew");
    String operation = "renewal of the lease of " + secret.reference();
    Instant now = clock.instant();
    if (!lease.renewable()) {
      throw new BackendException(
          Kind.LEASE_EXPIRED, operation + ": the lease is not renewable; read a new value");
    }
    if (lease.maxExpiresAt().isPresent()) {
      throw new BackendException(
          Kind.LEASE_EXPIRED,
          operation
              + ": the lease reached its maximum TTL and ends at "
              + lease.maxExpiresAt().get()
              + "; read a new value before then");
    }
    long increment = settings.renewIncrement().toSeconds();
    JsonObject body = Json.object().add("lease_id", lease.id().orElseThrow());
    body.add("increment", increment);
    RestResponse response = call(operation, token -> put(token, "sys/leases/renew", body));
    int status = response.getStatus();
    if (status == 400) {
      // Vault's answer for a lease that expired, was revoked, or is past its max TTL.
      throw new BackendException(
          Kind.LEASE_EXPIRED,
          operation + ": Vault no longer knows the lease or will not extend it; read a new value");
    }
    if (status != 200) {
      throw VaultErrors.status(status, operation);
    }
    JsonObject answer = parse(response, operation);
    long duration = answer.getLong("lease_duration", 0);
    if (duration <= 0) {
      throw new BackendException(
          Kind.LEASE_EXPIRED, operation + ": Vault granted no more time; read a new value");
    }
    Instant expiresAt = now.plusSeconds(duration);
    // Vault caps the extension at the lease's max TTL without failing: a shorter grant than asked
    // means this expiry is the hard limit.
    Optional<Instant> max = duration < increment ? Optional.of(expiresAt) : Optional.empty();
    Lease renewed =
        new Lease(
            Optional.of(answer.getString("lease_id", lease.id().get())),
            expiresAt,
            answer.getBoolean("renewable", true),
            max);
    return new Secret(secret.reference(), secret.fields(), secret.version(), Optional.of(renewed));
  }

  @Override
  public void revoke(Secret secret) {
    Optional<String> leaseId = secret.lease().flatMap(Lease::id);
    if (leaseId.isEmpty()) {
      return; // a KV value has nothing to revoke
    }
    String operation = "revocation of the lease of " + secret.reference();
    JsonObject body = Json.object().add("lease_id", leaseId.get());
    RestResponse response = call(operation, token -> put(token, "sys/leases/revoke", body));
    int status = response.getStatus();
    if (status != 204 && status != 200) {
      throw VaultErrors.status(status, operation);
    }
  }

  /** Nothing to release: the JDK HTTP client of Java 17 has no close, its threads are daemons. */
  @Override
  public void close() {}

  private <T> T call(String operation, VaultSession.Call<T> call) {
    try {
      return session.call(call);
    } catch (VaultException e) {
      throw VaultErrors.of(e, operation);
    }
  }

  /** Lease calls use the documented body form, so lease ids never travel in the URL. */
  private RestResponse put(VaultSession.Token token, String path, JsonObject body)
      throws VaultException {
    Rest rest =
        new Rest(http)
            .url(settings.address().toString().replaceAll("/+$", "") + "/v1/" + path)
            .header("X-Vault-Token", token.value())
            .header("X-Vault-Request", "true")
            .body(body.toString().getBytes(StandardCharsets.UTF_8))
            .connectTimeoutSeconds((int) settings.openTimeout().toSeconds())
            .readTimeoutSeconds((int) settings.readTimeout().toSeconds());
    if (settings.namespace().isPresent()) {
      rest.header("X-Vault-Namespace", settings.namespace().get());
    }
    RestResponse response;
    try {
      response = rest.put();
    } catch (RestException e) {
      throw new VaultException(e);
    }
    if (response.getStatus() == 403) {
      throw VaultSession.forbidden();
    }
    return response;
  }

  private Secret kvSecret(SecretReference reference, LogicalResponse response) {
    DataMetadata metadata = response.getDataMetadata();
    if (metadata == null || metadata.getVersion() == null) {
      throw new BackendException(
          Kind.INVALID,
          "read of "
              + reference
              + ": the answer has no KV version 2 metadata; is the mount a KV v2 engine?");
    }
    return new Secret(
        reference, fields(response), metadata.getVersion().toString(), Optional.empty());
  }

  private Secret leasedSecret(SecretReference reference, LogicalResponse response) {
    String leaseId = response.getLeaseId();
    Long duration = response.getLeaseDuration();
    if (leaseId == null || leaseId.isEmpty()) {
      // A path outside the KV v2 mounts without a lease: a KV v1 value, versionless.
      return new Secret(reference, fields(response), "unversioned", Optional.empty());
    }
    Lease lease =
        new Lease(
            Optional.of(leaseId),
            clock.instant().plusSeconds(duration == null ? 0 : duration),
            Boolean.TRUE.equals(response.getRenewable()),
            Optional.empty());
    // Each issue of a dynamic secret is a new value with its own lease.
    return new Secret(reference, fields(response), leaseId, Optional.of(lease));
  }

  private static Map<String, String> fields(LogicalResponse response) {
    Map<String, String> fields = new LinkedHashMap<>();
    JsonObject data = response.getDataObject();
    if (data != null) {
      for (JsonObject.Member member : data) {
        JsonValue value = member.getValue();
        if (!value.isNull()) {
          fields.put(member.getName(), value.isString() ? value.asString() : value.toString());
        }
      }
    }
    return fields;
  }

  private static JsonObject parse(RestResponse response, String operation) {
    try {
      return Json.parse(new String(response.getBody(), StandardCharsets.UTF_8)).asObject();
    } catch (RuntimeException e) {
      throw new BackendException(Kind.INVALID, operation + ": Vault's answer is not JSON", e);
    }
  }

  private static Lease leaseOf(Secret secret, String what) {
    Optional<Lease> lease = secret.lease().filter(l -> l.id().isPresent());
    if (lease.isEmpty()) {
      throw new BackendException(
          Kind.INVALID,
          "cannot " + what + " " + secret.reference() + ": it has no lease; read it again instead");
    }
    return lease.get();
  }

  private VaultPath parse(SecretReference reference) {
    if (!SCHEME.equals(reference.backend())) {
      throw new BackendException(
          Kind.INVALID, "the Vault backend reads vault: references, not " + reference);
    }
    try {
      return VaultPath.of(reference, settings.kvMounts());
    } catch (IllegalArgumentException e) {
      throw new BackendException(Kind.INVALID, e.getMessage(), e);
    }
  }
}
