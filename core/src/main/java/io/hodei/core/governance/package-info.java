/**
 * The global resource controller: one governance layer over every provider.
 *
 * <p>A pass ({@link io.hodei.core.governance.GlobalResourceController#decide}) is a pure function
 * of a {@linkplain io.hodei.core.governance.snapshot.GovernanceSnapshot snapshot} and the clock:
 *
 * <ol>
 *   <li><b>Snapshot.</b> The server reads, once per pass, the pools (labels, capacity, rates,
 *       priority, state), the provider instances (health, limits), the ledger's reservations, the
 *       tenant quotas, the idle reusable workers and the pending jobs in queue order. The {@link
 *       io.hodei.core.governance.ledger.Ledger} starts from the reservations and idle workers.
 *   <li><b>Fair share.</b> Jobs in backoff wait with {@code BACKOFF}. The others are queued per
 *       tenant; the next job decided is the head of the tenant with the lowest weighted dominant
 *       resource share ({@link io.hodei.core.governance.quota.FairShare}), so one tenant's burst
 *       cannot starve another.
 *   <li><b>Selection.</b> The job's candidate pools are its pinned pool or the pools carrying its
 *       selector's labels (a tenant-owned pool only for its tenant). Each is checked ({@link
 *       io.hodei.core.governance.selection.PoolCheck}): state, provider, size, tenant quota ({@link
 *       io.hodei.core.governance.quota.QuotaCheck}, overall and per label), room in the pool and in
 *       its provider instance. Those that can take the job now are ranked ({@link
 *       io.hodei.core.governance.selection.PoolRanking}): priority, an idle worker to reuse, the
 *       strategy (bin-pack or spread), cost per hour, provider health.
 *   <li><b>Decisions.</b> The best candidate gets the job: {@code Reuse} an idle worker or {@code
 *       Provision} a new one, with the claim to record in the ledger. The claim counts at once
 *       against the pool, provider instance and tenant, so the next job of the pass sees it. With
 *       no candidate the job gets a {@code Wait}: its nearest reason, each pool's rejection, and
 *       its queue position.
 * </ol>
 *
 * <p>The {@linkplain io.hodei.core.governance.decision.ReasonCode reason codes}: {@code BACKOFF},
 * {@code TENANT_QUOTA}, {@code POOL_FULL}, {@code PROVIDER_LIMIT}, {@code PROVIDER_UNHEALTHY},
 * {@code PROVIDER_UNAVAILABLE}, {@code POOL_DRAINING}, {@code POOL_DISABLED}, {@code
 * TOO_LARGE_FOR_POOL} (one pool), {@code TOO_LARGE_FOR_ANY_POOL} and {@code NO_MATCHING_POOL}. A
 * job over its tenant's quota waits; no reason makes a job fail.
 */
package io.hodei.core.governance;
