package io.hodei.server.controller;

import io.hodei.core.jobs.JobAssignment.SecretFile;
import io.hodei.core.jobs.JobSecret;
import io.hodei.credentials.BackendException;
import io.hodei.credentials.SecretReference;
import io.hodei.credentials.broker.BrokerLease;
import io.hodei.credentials.broker.CredentialBroker;
import io.hodei.credentials.broker.FetchContext;
import io.hodei.credentials.policy.AccessDeniedException;
import io.hodei.credentials.policy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Resolves a job's secrets through the credential broker, as the job of its tenant, and holds the
 * broker leases until the attempt ends. Fetching blocks (the broker may call a backend): never call
 * {@link #resolve} or {@link #release} on an event-loop thread.
 */
@ApplicationScoped
public class JobSecrets {

  private static final Logger LOG = Logger.getLogger(JobSecrets.class);

  private final CredentialBroker broker;
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  public JobSecrets(CredentialBroker broker) {
    this.broker = broker;
  }

  /** The values of one attempt's secrets, and the leases to release when it ends. */
  public record Resolved(
      Map<String, String> env,
      List<SecretFile> files,
      List<String> maskedValues,
      List<BrokerLease> leases) {

    static final Resolved NONE = new Resolved(Map.of(), List.of(), List.of(), List.of());

    /** Never prints a value. */
    @Override
    public String toString() {
      return "Resolved[env=" + env.keySet() + ", files=" + files + "]";
    }
  }

  /**
   * A secret that could not be resolved. The message names the reference and why, never a value.
   *
   * @param retryable whether trying again later may help (the backend was unreachable), as opposed
   *     to a spec or policy the user must fix
   */
  public static final class SecretFailure extends RuntimeException {
    private final boolean retryable;

    SecretFailure(String message, boolean retryable, Throwable cause) {
      super(message, cause);
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  /**
   * Fetches every secret of the job for {@code tenant}'s job {@code jobId} running on {@code
   * workerId}. On a failure, the leases taken so far are released.
   *
   * @throws SecretFailure naming the first secret that could not be resolved
   */
  public Resolved resolve(String jobId, String tenant, String workerId, List<JobSecret> secrets) {
    if (secrets.isEmpty()) {
      return Resolved.NONE;
    }
    Map<String, String> env = new LinkedHashMap<>();
    List<SecretFile> files = new ArrayList<>();
    Set<String> masked = new java.util.LinkedHashSet<>();
    Map<String, BrokerLease> leases = new LinkedHashMap<>();
    FetchContext context = new FetchContext(Optional.of(jobId), Optional.of(workerId));
    try {
      Caller caller = callerFor(jobId, tenant);
      for (int i = 0; i < secrets.size(); i++) {
        JobSecret secret = secrets.get(i);
        String value = fetch(caller, context, secret, "secrets[" + i + "]", leases);
        masked.add(value);
        secret.env().ifPresent(name -> env.put(name, value));
        secret
            .file()
            .ifPresent(
                path -> files.add(new SecretFile(path, value.getBytes(StandardCharsets.UTF_8))));
      }
    } catch (RuntimeException e) {
      leases.values().forEach(this::releaseQuietly);
      throw e;
    }
    return new Resolved(env, files, List.copyOf(masked), List.copyOf(leases.values()));
  }

  /**
   * Keeps the leases of an attempt until {@link #releaseEnded} sees it ended. A second dispatch of
   * the same attempt gets the same broker leases back; only leases no longer held are released.
   */
  public void hold(String jobId, int attempt, List<BrokerLease> leases) {
    if (leases.isEmpty()) {
      return;
    }
    Held previous = held.put(jobId, new Held(attempt, leases));
    if (previous != null) {
      Set<String> kept = leases.stream().map(BrokerLease::id).collect(Collectors.toSet());
      previous.leases().stream().filter(l -> !kept.contains(l.id())).forEach(this::releaseQuietly);
    }
  }

  /** The jobs holding leases, with the attempt that holds them. */
  public Map<String, Integer> heldAttempts() {
    Map<String, Integer> attempts = new LinkedHashMap<>();
    held.forEach((job, h) -> attempts.put(job, h.attempt()));
    return attempts;
  }

  /** Releases the leases of {@code jobId}'s attempt {@code attempt}, if it still holds them. */
  public void release(String jobId, int attempt) {
    Held h = held.get(jobId);
    if (h != null && h.attempt() == attempt && held.remove(jobId, h)) {
      h.leases().forEach(this::releaseQuietly);
    }
  }

  /**
   * Whether this process holds lease {@code leaseId} for {@code jobId}'s attempt {@code attempt}.
   */
  public boolean holds(String jobId, int attempt, String leaseId) {
    Held h = held.get(jobId);
    return h != null
        && h.attempt() == attempt
        && h.leases().stream().anyMatch(lease -> lease.id().equals(leaseId));
  }

  /**
   * Revokes at its backend a lease an earlier server process recorded for an attempt that has
   * ended; this process's broker never held it, so only the backend's lease id can end it.
   *
   * @return whether it is done with: revoked, or refused for good (it then ends at its expiry);
   *     false when the backend was unreachable and a later pass should try again
   */
  public boolean revokeLeftOver(
      String jobId,
      String tenant,
      String workerId,
      String reference,
      String leaseId,
      String backendLeaseId) {
    try {
      broker.revokeLeftOver(
          Caller.job(jobId, tenant),
          SecretReference.parse(reference),
          leaseId,
          backendLeaseId,
          new FetchContext(Optional.of(jobId), Optional.of(workerId)));
      return true;
    } catch (BackendException e) {
      // Audited by the broker. Kept for the next pass while the backend may come back.
      LOG.warnf("Revoking the left-over lease of %s failed: %s", reference, e.getMessage());
      return !e.kind().retryable();
    } catch (RuntimeException e) {
      LOG.warnf("Cannot revoke the left-over lease of %s: %s", reference, e.getMessage());
      return true;
    }
  }

  /** Releases leases that were never handed to a held attempt (the send failed). */
  public void releaseAll(List<BrokerLease> leases) {
    leases.forEach(this::releaseQuietly);
  }

  private String fetch(
      Caller caller,
      FetchContext context,
      JobSecret secret,
      String at,
      Map<String, BrokerLease> leases) {
    String described = "secret '" + secret.reference() + "' (" + at + ")";
    try {
      SecretReference reference = SecretReference.parse(secret.reference());
      BrokerLease lease = leases.get(reference.toString());
      if (lease == null) {
        lease = broker.fetch(caller, reference, context);
        leases.put(reference.toString(), lease);
      }
      return field(lease.secret().fields(), secret, described);
    } catch (AccessDeniedException e) {
      throw new SecretFailure(
          described + " is not readable by this job: " + e.getMessage(), false, e);
    } catch (BackendException e) {
      boolean transientFailure =
          e.kind().retryable() || e.kind() == BackendException.Kind.UNAUTHENTICATED;
      throw new SecretFailure(
          described + " could not be read: " + e.getMessage(), transientFailure, e);
    } catch (IllegalArgumentException e) {
      throw new SecretFailure(described + " is not a valid reference: " + e.getMessage(), false, e);
    } catch (SecretFailure e) {
      throw e;
    } catch (RuntimeException e) {
      // Unexpected, so possibly passing: an infrastructure failure, retried by the job's policy.
      throw new SecretFailure(described + " could not be resolved: " + e.getMessage(), true, e);
    }
  }

  private static String field(Map<String, String> fields, JobSecret secret, String described) {
    String name = secret.field().orElse(null);
    if (name == null) {
      if (fields.containsKey(JobSecret.DEFAULT_FIELD)) {
        return fields.get(JobSecret.DEFAULT_FIELD);
      }
      if (fields.size() == 1) {
        return fields.values().iterator().next();
      }
      throw new SecretFailure(
          described
              + " has several fields "
              + new TreeSet<>(fields.keySet())
              + "; name the one to expose with 'field'",
          false,
          null);
    }
    String value = fields.get(name);
    if (value == null) {
      throw new SecretFailure(
          described
              + " has no field '"
              + name
              + "'; its fields are "
              + new TreeSet<>(fields.keySet()),
          false,
          null);
    }
    return value;
  }

  private static Caller callerFor(String jobId, String tenant) {
    try {
      return Caller.job(jobId, tenant);
    } catch (IllegalArgumentException e) {
      throw new SecretFailure("the job cannot read secrets: " + e.getMessage(), false, e);
    }
  }

  private void releaseQuietly(BrokerLease lease) {
    try {
      broker.release(lease);
    } catch (RuntimeException e) {
      // The broker audited the failure; the backend lease ends at its expiry.
      LOG.warnf("Releasing the lease of %s failed: %s", lease.reference(), e.getMessage());
    }
  }

  private record Held(int attempt, List<BrokerLease> leases) {}
}
