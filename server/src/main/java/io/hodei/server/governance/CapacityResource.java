package io.hodei.server.governance;

import io.hodei.core.governance.ledger.Ledger;
import io.hodei.core.governance.ledger.Usage;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import io.hodei.core.governance.snapshot.Reservation;
import io.hodei.core.governance.snapshot.TenantQuota;
import io.hodei.server.api.Caller;
import io.hodei.server.persistence.Db;
import io.hodei.server.providers.ProviderInstanceEntity;
import io.hodei.server.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The capacity ledger as people read it: per pool, provider instance and tenant, what is used,
 * reserved, free and the limit.
 */
@Path("/api/v1/capacity")
@Produces(MediaType.APPLICATION_JSON)
public class CapacityResource {

  private final Db db;
  private final GovernanceSnapshots snapshots;
  private final Caller caller;
  private final Clock clock;

  public CapacityResource(Db db, GovernanceSnapshots snapshots, Caller caller, Clock clock) {
    this.db = db;
    this.snapshots = snapshots;
    this.caller = caller;
    this.clock = clock;
  }

  /**
   * One entry of the ledger.
   *
   * @param name the pool, provider instance or tenant
   * @param limit its caps; null where not capped
   * @param used what counts against the limit: the reservations of admitted attempts and the idle
   *     workers waiting for a job
   * @param reserved what admitted attempts (provisioning or running) hold
   * @param free what is left under the limit; null where not capped
   */
  public record Entry(
      String name, AmountsView limit, AmountsView used, AmountsView reserved, AmountsView free) {

    static Entry of(String name, Amounts limit, Usage used, Usage reserved) {
      return new Entry(
          name,
          AmountsView.of(limit),
          AmountsView.of(used.amounts()),
          AmountsView.of(reserved.amounts()),
          AmountsView.free(limit, used.amounts()));
    }
  }

  /** The whole ledger: operators see everything, users their tenant and its pools. */
  public record CapacityView(List<Entry> pools, List<Entry> providers, List<Entry> tenants) {}

  @GET
  @RolesAllowed({Roles.USER, Roles.OPERATOR})
  public Uni<CapacityView> get() {
    boolean operator = caller.hasRole(Roles.OPERATOR);
    String tenant = caller.tenant();
    return db.tx(
        session ->
            // One snapshot of the database for every read: at the default isolation each query
            // sees the latest commits, so an attempt ending between the read of the reservations
            // and that of the idle workers would count its worker twice.
            session
                .createNativeQuery("set transaction isolation level repeatable read read only")
                .executeUpdate()
                .chain(() -> snapshots.load(session, List.of(), clock.instant()))
                .chain(
                    snapshot ->
                        session
                            .createSelectionQuery(
                                "from ProviderInstanceEntity order by name",
                                ProviderInstanceEntity.class)
                            .getResultList()
                            .map(instances -> view(snapshot, instances, operator, tenant))));
  }

  private static CapacityView view(
      GovernanceSnapshot snapshot,
      List<ProviderInstanceEntity> instances,
      boolean operator,
      String callerTenant) {
    Ledger used = Ledger.of(snapshot);
    Ledger reserved =
        Ledger.of(
            new GovernanceSnapshot(
                snapshot.pools(),
                snapshot.providerInstances(),
                snapshot.reservations(),
                snapshot.quotas(),
                List.of(),
                List.of()));
    List<Entry> pools =
        snapshot.pools().stream()
            .filter(pool -> operator || pool.serves(callerTenant))
            .map(
                pool ->
                    Entry.of(
                        pool.name(),
                        pool.capacity(),
                        used.pool(pool.name()),
                        reserved.pool(pool.name())))
            .toList();
    List<Entry> providers =
        !operator
            ? List.of()
            : instances.stream()
                .map(
                    instance ->
                        Entry.of(
                            instance.name,
                            GovernanceSnapshots.limits(instance),
                            used.instance(instance.name),
                            reserved.instance(instance.name)))
                .toList();
    Map<String, Amounts> limits = new HashMap<>();
    snapshot.quotas().forEach(quota -> limits.put(quota.tenant(), quota.overall()));
    TreeSet<String> tenants = new TreeSet<>(limits.keySet());
    snapshot.reservations().stream()
        .map(Reservation::claim)
        .forEach(claim -> tenants.add(claim.tenant()));
    List<Entry> tenantEntries =
        tenants.stream()
            .filter(tenant -> operator || tenant.equals(callerTenant))
            .map(
                tenant ->
                    Entry.of(
                        tenant,
                        limits.getOrDefault(tenant, TenantQuota.unlimited(tenant).overall()),
                        used.tenant(tenant),
                        reserved.tenant(tenant)))
            .toList();
    return new CapacityView(pools, providers, tenantEntries);
  }
}
