package io.hodei.server.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hodei.core.FieldProblem;
import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.PoolState;
import io.hodei.core.governance.snapshot.Reservation;
import io.hodei.core.workers.WorkerState;
import io.hodei.credentials.tenants.TenantName;
import io.hodei.server.api.ApiException;
import io.hodei.server.api.Caller;
import io.hodei.server.api.ControlCharacters;
import io.hodei.server.api.Echo;
import io.hodei.server.controller.JobPlacement;
import io.hodei.server.controller.WakeUp;
import io.hodei.server.governance.AmountsView;
import io.hodei.server.governance.GovernanceSnapshots;
import io.hodei.server.governance.Labels;
import io.hodei.server.governance.Reservations;
import io.hodei.server.persistence.Db;
import io.hodei.server.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
  private final Event<WakeUp> wakeUp;

  public PoolsResource(Db db, Clock clock, Caller caller, Event<WakeUp> wakeUp) {
    this.db = db;
    this.clock = clock;
    this.caller = caller;
    this.wakeUp = wakeUp;
  }

  /** The body of a new pool. */
  public record PoolRequest(
      String name,
      String providerInstance,
      Integer maxWorkers,
      Integer maxJobsPerWorker,
      Long idleTimeoutSeconds,
      Long provisioningTimeoutSeconds,
      String tenant,
      Map<String, String> labels,
      Long cpuMillis,
      Long memoryMib,
      Long gpus,
      Double ratePerWorkerHour,
      Double ratePerVcpuHour,
      Double ratePerGibHour,
      Integer priority,
      PoolState state) {}

  /**
   * A pool with its current number of active workers; {@code tenant} null means shared. {@code
   * capacity} is its caps (null where not capped), {@code reserved} what admitted attempts hold in
   * it.
   */
  public record PoolView(
      String name,
      String providerInstance,
      int maxWorkers,
      int maxJobsPerWorker,
      long idleTimeoutSeconds,
      long provisioningTimeoutSeconds,
      String tenant,
      long activeWorkers,
      Map<String, String> labels,
      AmountsView capacity,
      double ratePerWorkerHour,
      double ratePerVcpuHour,
      double ratePerGibHour,
      int priority,
      PoolState state,
      AmountsView reserved) {}

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
                      return Reservations.all(session)
                          .chain(
                              reservations ->
                                  session
                                      .createSelectionQuery(
                                          "from PoolEntity order by name", PoolEntity.class)
                                      .getResultList()
                                      .map(
                                          pools ->
                                              pools.stream()
                                                  .filter(visible)
                                                  .map(
                                                      pool ->
                                                          view(
                                                              pool,
                                                              active.getOrDefault(pool.name, 0L),
                                                              reservations))
                                                  .toList()));
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
                          .chain(
                              active ->
                                  Reservations.all(session)
                                      .map(reservations -> view(pool, active, reservations)));
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
    checkGovernance(request, problems);
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
    pool.labels = Labels.write(request.labels());
    pool.cpuMillis = request.cpuMillis();
    pool.memoryMib = request.memoryMib();
    pool.gpus = request.gpus();
    pool.ratePerWorkerHour = orZero(request.ratePerWorkerHour());
    pool.ratePerVcpuHour = orZero(request.ratePerVcpuHour());
    pool.ratePerGibHour = orZero(request.ratePerGibHour());
    pool.priority = request.priority() == null ? 0 : request.priority();
    pool.state = request.state() == null ? PoolState.ACTIVE : request.state();
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
                    .entity(view(pool, 0, List.of()))
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
                + " idle_timeout_ms, provisioning_timeout_ms, tenant, labels, cpu_millis,"
                + " memory_mib, gpus, rate_per_worker_hour, rate_per_vcpu_hour,"
                + " rate_per_gib_hour, priority, state, created_at)"
                + " values (:name, :instance, :maxWorkers, :maxJobs, :idle, :provisioning,"
                + " cast(:tenant as text), :labels, cast(:cpu as bigint),"
                + " cast(:memory as bigint), cast(:gpus as bigint), :rateWorker, :rateVcpu,"
                + " :rateGib, :priority, :state, cast(:createdAt as timestamptz))"
                + " on conflict (name) do nothing")
        .setParameter("name", pool.name)
        .setParameter("instance", pool.providerInstance)
        .setParameter("maxWorkers", pool.maxWorkers)
        .setParameter("maxJobs", pool.maxJobsPerWorker)
        .setParameter("idle", pool.idleTimeoutMillis)
        .setParameter("provisioning", pool.provisioningTimeoutMillis)
        .setParameter("tenant", pool.tenant)
        .setParameter("labels", pool.labels)
        .setParameter("cpu", pool.cpuMillis)
        .setParameter("memory", pool.memoryMib)
        .setParameter("gpus", pool.gpus)
        .setParameter("rateWorker", pool.ratePerWorkerHour)
        .setParameter("rateVcpu", pool.ratePerVcpuHour)
        .setParameter("rateGib", pool.ratePerGibHour)
        .setParameter("priority", pool.priority)
        .setParameter("state", pool.state.name())
        .setParameter("createdAt", pool.createdAt)
        .executeUpdate();
  }

  private static void checkGovernance(PoolRequest request, List<FieldProblem> problems) {
    PoolLabels.check("labels", request.labels(), problems);
    Map<String, Long> capacity = new java.util.LinkedHashMap<>();
    capacity.put("cpuMillis", request.cpuMillis());
    capacity.put("memoryMib", request.memoryMib());
    capacity.put("gpus", request.gpus());
    capacity.forEach(
        (field, value) -> {
          if (value != null && value < 0) {
            problems.add(new FieldProblem(field, "cannot be negative; leave it out for no cap"));
          }
        });
    Map<String, Double> rates = new java.util.LinkedHashMap<>();
    rates.put("ratePerWorkerHour", request.ratePerWorkerHour());
    rates.put("ratePerVcpuHour", request.ratePerVcpuHour());
    rates.put("ratePerGibHour", request.ratePerGibHour());
    rates.forEach(
        (field, value) -> {
          if (value != null && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            problems.add(new FieldProblem(field, "must be a number of at least 0"));
          }
        });
    if (request.priority() != null && Math.abs(request.priority()) > 1_000_000) {
      problems.add(new FieldProblem("priority", "must be from -1000000 to 1000000"));
    }
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
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

  private static PoolView view(PoolEntity pool, long active, List<Reservation> reservations) {
    GovernedPool governed = GovernanceSnapshots.pool(pool);
    long cpu = 0;
    long memory = 0;
    long gpus = 0;
    long attempts = 0;
    for (Reservation reservation : reservations) {
      if (reservation.claim().pool().equals(pool.name)) {
        cpu += reservation.claim().resources().cpuMillis();
        memory += reservation.claim().resources().memoryMib();
        gpus += reservation.claim().resources().gpus();
        attempts++;
      }
    }
    return new PoolView(
        pool.name,
        pool.providerInstance,
        pool.maxWorkers,
        pool.maxJobsPerWorker,
        pool.idleTimeoutMillis / 1000,
        pool.provisioningTimeoutMillis / 1000,
        pool.tenant,
        active,
        governed.labels(),
        AmountsView.of(governed.capacity()),
        pool.ratePerWorkerHour,
        pool.ratePerVcpuHour,
        pool.ratePerGibHour,
        pool.priority,
        pool.state,
        new AmountsView(cpu, memory, gpus, attempts, attempts));
  }

  /**
   * Changes a pool's limits, labels, rates, priority or state. A field left out is unchanged; a
   * capacity ({@code cpuMillis}, {@code memoryMib}, {@code gpus}) set to null is no longer capped.
   */
  @PATCH
  @Path("{name}")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<PoolView> patch(@PathParam("name") String name, ObjectNode body) {
    if (body == null) {
      throw ApiException.badRequest("the changes are required in the body", List.of());
    }
    PoolPatch patch = PoolPatch.parse(body);
    return db.tx(
            session ->
                session
                    .find(PoolEntity.class, name, LockModeType.PESSIMISTIC_WRITE)
                    .chain(
                        pool -> {
                          if (pool == null) {
                            throw ApiException.notFound("no pool named " + name);
                          }
                          patch.applyTo(pool);
                          return session
                              .flush()
                              .chain(
                                  () ->
                                      session
                                          .createSelectionQuery(
                                              "select count(*) from WorkerEntity where pool ="
                                                  + " :pool and state in :active",
                                              Long.class)
                                          .setParameter("pool", name)
                                          .setParameter("active", ACTIVE)
                                          .getSingleResult())
                              .chain(
                                  active ->
                                      Reservations.all(session)
                                          .map(reservations -> view(pool, active, reservations)));
                        }))
        // Larger limits or a pool made active again may let waiting jobs run now.
        .invoke(() -> wakeUp.fire(new WakeUp("pool changed")));
  }

  /**
   * Deletes a pool. Refused with 409 while an attempt holds room in it or a worker of it is live;
   * with {@code ?drain=true} it stops admitting now and the controller deletes it once empty.
   */
  @DELETE
  @Path("{name}")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> delete(
      @PathParam("name") String name, @QueryParam("drain") @DefaultValue("false") boolean drain) {
    return db.tx(
            session ->
                // Under the admission lock, no placement can admit into the pool meanwhile.
                JobPlacement.admissionLock(session)
                    .chain(
                        () -> session.find(PoolEntity.class, name, LockModeType.PESSIMISTIC_WRITE))
                    .chain(
                        pool -> {
                          if (pool == null) {
                            throw ApiException.notFound("no pool named " + name);
                          }
                          if (drain) {
                            pool.state = PoolState.DRAINING;
                            return Uni.createFrom().item(Response.accepted().build());
                          }
                          return Reservations.anyInPool(session, name)
                              .chain(
                                  held -> {
                                    if (held) {
                                      throw ApiException.conflict(
                                          "pool "
                                              + name
                                              + " has jobs admitted to it; wait for them to end,"
                                              + " or delete with ?drain=true");
                                    }
                                    return session
                                        .createSelectionQuery(
                                            "select count(*) from WorkerEntity where pool = :pool"
                                                + " and releasedAt is null",
                                            Long.class)
                                        .setParameter("pool", name)
                                        .getSingleResult();
                                  })
                              .chain(
                                  live -> {
                                    if (live > 0) {
                                      throw ApiException.conflict(
                                          "pool "
                                              + name
                                              + " has "
                                              + live
                                              + " live worker(s); delete with ?drain=true to"
                                              + " retire them first");
                                    }
                                    return session
                                        .remove(pool)
                                        .replaceWith(Response.noContent().build());
                                  });
                        }))
        .invoke(() -> wakeUp.fire(new WakeUp("pool deleted")));
  }
}
