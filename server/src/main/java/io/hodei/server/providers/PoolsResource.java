package io.hodei.server.providers;

import io.hodei.core.FieldProblem;
import io.hodei.core.workers.WorkerState;
import io.hodei.credentials.tenants.TenantName;
import io.hodei.server.api.ApiException;
import io.hodei.server.api.Caller;
import io.hodei.server.api.ControlCharacters;
import io.hodei.server.api.Echo;
import io.hodei.server.persistence.Db;
import io.hodei.server.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/** Pools: where jobs run, with their worker limits. */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PoolsResource {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final List<WorkerState> ACTIVE =
      List.of(WorkerState.PROVISIONING, WorkerState.READY, WorkerState.BUSY);

  static final int MAX_WORKERS = 10_000;
  static final int MAX_JOBS_PER_WORKER = 1_000;
  static final long MAX_IDLE_TIMEOUT_SECONDS = 30L * 24 * 3600;
  static final long MAX_PROVISIONING_SECONDS = 24L * 3600;

  private final Db db;
  private final Clock clock;
  private final Caller caller;

  public PoolsResource(Db db, Clock clock, Caller caller) {
    this.db = db;
    this.clock = clock;
    this.caller = caller;
  }

  /** The body of a new pool. */
  public record PoolRequest(
      String name,
      String providerInstance,
      Integer maxWorkers,
      Integer maxJobsPerWorker,
      Long idleTimeoutSeconds,
      Long provisioningTimeoutSeconds,
      String tenant) {}

  /** A pool with its current number of active workers; {@code tenant} null means shared. */
  public record PoolView(
      String name,
      String providerInstance,
      int maxWorkers,
      int maxJobsPerWorker,
      long idleTimeoutSeconds,
      long provisioningTimeoutSeconds,
      String tenant,
      long activeWorkers) {}

  @GET
  @jakarta.annotation.security.RolesAllowed({Roles.USER, Roles.OPERATOR})
  public Uni<List<PoolView>> list() {
    Predicate<PoolEntity> visible = visibleToCaller();
    return db.tx(
        session ->
            session
                .createSelectionQuery(
                    "select pool, count(*) from WorkerEntity where state in :active group by pool",
                    Object[].class)
                .setParameter("active", ACTIVE)
                .getResultList()
                .chain(
                    counts -> {
                      Map<String, Long> active =
                          counts.stream()
                              .collect(
                                  Collectors.toMap(
                                      row -> (String) row[0],
                                      row -> ((Number) row[1]).longValue()));
                      return session
                          .createSelectionQuery("from PoolEntity order by name", PoolEntity.class)
                          .getResultList()
                          .map(
                              pools ->
                                  pools.stream()
                                      .filter(visible)
                                      .map(pool -> view(pool, active.getOrDefault(pool.name, 0L)))
                                      .toList());
                    }));
  }

  /** One pool, where {@code POST}'s {@code Location} points. */
  @GET
  @Path("{name}")
  @RolesAllowed({Roles.USER, Roles.OPERATOR})
  public Uni<PoolView> get(@PathParam("name") String name) {
    Predicate<PoolEntity> visible = visibleToCaller();
    return db.tx(
        session ->
            session
                .find(PoolEntity.class, name)
                .chain(
                    pool -> {
                      if (pool == null || !visible.test(pool)) {
                        // Another tenant's pool is answered exactly like a missing one.
                        throw ApiException.notFound("no pool named " + Echo.of(name));
                      }
                      return session
                          .createSelectionQuery(
                              "select count(*) from WorkerEntity where pool = :pool and state in"
                                  + " :active",
                              Long.class)
                          .setParameter("pool", name)
                          .setParameter("active", ACTIVE)
                          .getSingleResult()
                          .map(active -> view(pool, active));
                    }));
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> create(PoolRequest request) {
    List<FieldProblem> problems = new ArrayList<>();
    if (request == null) {
      throw ApiException.badRequest("a pool is required in the body", problems);
    }
    if (request.name() == null || !NAME.matcher(request.name()).matches()) {
      problems.add(new FieldProblem("name", "is required: lower-case letters, digits and '-'"));
    }
    if (request.providerInstance() == null || request.providerInstance().isBlank()) {
      problems.add(new FieldProblem("providerInstance", "is required"));
    } else if (ControlCharacters.holdsControl(request.providerInstance())) {
      problems.add(new FieldProblem("providerInstance", "must not contain control characters"));
    }
    int maxWorkers = request.maxWorkers() == null ? 4 : request.maxWorkers();
    int maxJobs = request.maxJobsPerWorker() == null ? 1 : request.maxJobsPerWorker();
    long idle = request.idleTimeoutSeconds() == null ? 300 : request.idleTimeoutSeconds();
    long provisioning =
        request.provisioningTimeoutSeconds() == null ? 120 : request.provisioningTimeoutSeconds();
    checkRange(problems, "maxWorkers", maxWorkers, MAX_WORKERS);
    checkRange(problems, "maxJobsPerWorker", maxJobs, MAX_JOBS_PER_WORKER);
    // Stored in milliseconds: bounded far below where seconds * 1000 would overflow.
    checkRange(problems, "idleTimeoutSeconds", idle, MAX_IDLE_TIMEOUT_SECONDS);
    checkRange(problems, "provisioningTimeoutSeconds", provisioning, MAX_PROVISIONING_SECONDS);
    if (request.tenant() != null && !TenantName.isValid(request.tenant())) {
      problems.add(
          new FieldProblem(
              "tenant",
              "must be a tenant name (" + TenantName.RULE + "), or be left out for a shared pool"));
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest("the pool is invalid", problems);
    }
    PoolEntity pool = new PoolEntity();
    pool.name = request.name();
    pool.providerInstance = request.providerInstance();
    pool.maxWorkers = maxWorkers;
    pool.maxJobsPerWorker = maxJobs;
    pool.idleTimeoutMillis = idle * 1000;
    pool.provisioningTimeoutMillis = provisioning * 1000;
    pool.tenant = request.tenant();
    pool.createdAt = clock.instant();
    return db.tx(
            session ->
                session
                    .find(ProviderInstanceEntity.class, pool.providerInstance)
                    .chain(
                        instance -> {
                          if (instance == null) {
                            throw ApiException.badRequest(
                                "the pool is invalid",
                                List.of(
                                    new FieldProblem(
                                        "providerInstance",
                                        "no provider instance named "
                                            + Echo.of(pool.providerInstance))));
                          }
                          return insert(session, pool);
                        })
                    .invoke(
                        inserted -> {
                          if (inserted == 0) {
                            throw ApiException.conflict("pool " + pool.name + " already exists");
                          }
                        }))
        .map(
            ignored ->
                Response.created(URI.create("/api/v1/pools/" + pool.name))
                    .entity(view(pool, 0))
                    .build());
  }

  private static void checkRange(List<FieldProblem> problems, String field, long value, long max) {
    if (value < 1 || value > max) {
      problems.add(new FieldProblem(field, "must be from 1 to " + max));
    }
  }

  /**
   * Stores a new pool unless one of that name exists; returns the rows written. The database
   * decides: of two identical requests at once, exactly one inserts and the other sees 0.
   */
  private static Uni<Integer> insert(Mutiny.Session session, PoolEntity pool) {
    return session
        .createNativeQuery(
            "insert into pools (name, provider_instance, max_workers, max_jobs_per_worker,"
                + " idle_timeout_ms, provisioning_timeout_ms, tenant, created_at)"
                + " values (:name, :instance, :maxWorkers, :maxJobs, :idle, :provisioning,"
                + " cast(:tenant as text), cast(:createdAt as timestamptz))"
                + " on conflict (name) do nothing")
        .setParameter("name", pool.name)
        .setParameter("instance", pool.providerInstance)
        .setParameter("maxWorkers", pool.maxWorkers)
        .setParameter("maxJobs", pool.maxJobsPerWorker)
        .setParameter("idle", pool.idleTimeoutMillis)
        .setParameter("provisioning", pool.provisioningTimeoutMillis)
        .setParameter("tenant", pool.tenant)
        .setParameter("createdAt", pool.createdAt)
        .executeUpdate();
  }

  /**
   * Which pools the caller may see: operators manage every pool; users see shared pools and their
   * own tenant's. Read before the reactive chain, on the request's thread.
   */
  private Predicate<PoolEntity> visibleToCaller() {
    boolean operator = caller.hasRole(Roles.OPERATOR);
    String tenant = caller.tenant();
    return pool -> operator || pool.servesTenant(tenant);
  }

  private static PoolView view(PoolEntity pool, long active) {
    return new PoolView(
        pool.name,
        pool.providerInstance,
        pool.maxWorkers,
        pool.maxJobsPerWorker,
        pool.idleTimeoutMillis / 1000,
        pool.provisioningTimeoutMillis / 1000,
        pool.tenant,
        active);
  }
}
