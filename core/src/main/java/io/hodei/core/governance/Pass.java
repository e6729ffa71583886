package io.hodei.core.governance;

import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.decision.PoolRejection;
import io.hodei.core.governance.decision.QueuePosition;
import io.hodei.core.governance.decision.ReasonCode;
import io.hodei.core.governance.decision.Refusal;
import io.hodei.core.governance.ledger.Ledger;
import io.hodei.core.governance.quota.FairShare;
import io.hodei.core.governance.selection.Candidate;
import io.hodei.core.governance.selection.PlacementStrategy;
import io.hodei.core.governance.selection.PoolCheck;
import io.hodei.core.governance.selection.PoolRanking;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.IdleWorker;
import io.hodei.core.governance.snapshot.PendingJob;
import io.hodei.core.governance.snapshot.PoolChoice;
import io.hodei.core.governance.snapshot.ProviderInstanceInfo;
import io.hodei.core.governance.snapshot.Reservation.Claim;
import io.hodei.core.governance.snapshot.TenantQuota;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/** One pass over a snapshot: the state it accounts in while it decides job after job. */
final class Pass {

  private final List<PendingJob> pending;
  private final Instant now;
  private final Comparator<Candidate> ranking;
  private final Ledger ledger;
  private final FairShare fairShare;
  private final CandidatePools candidates;
  private final IdleWorkers idle;
  private final Map<String, ProviderInstanceInfo> instances = new HashMap<>();
  private final Map<String, TenantQuota> quotas = new HashMap<>();
  private final Decision[] decisions;
  private final QueuePosition[] positions;

  Pass(GovernanceSnapshot snapshot, PlacementStrategy strategy, Instant now) {
    this.pending = snapshot.pending();
    this.now = now;
    this.ranking = PoolRanking.order(strategy);
    this.ledger = Ledger.of(snapshot);
    this.fairShare = new FairShare(snapshot.pools());
    this.candidates = new CandidatePools(snapshot.pools());
    this.idle = new IdleWorkers(snapshot.idleWorkers());
    snapshot.providerInstances().forEach(instance -> instances.put(instance.name(), instance));
    snapshot.quotas().forEach(quota -> quotas.put(quota.tenant(), quota));
    this.decisions = new Decision[pending.size()];
    this.positions = new QueuePosition[pending.size()];
  }

  /** A tenant's jobs still to decide, in queue order, with its current weighted share. */
  private static final class TenantQueue {
    final TenantQuota quota;
    final int[] jobs;
    int size;
    int head;
    double share;

    TenantQueue(TenantQuota quota, int capacity) {
      this.quota = quota;
      this.jobs = new int[capacity];
    }
  }

  List<Decision> run() {
    Map<String, TenantQueue> byTenant = new HashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    Map<String, Integer> perTenant = new HashMap<>();
    pending.forEach(job -> perTenant.merge(job.tenant(), 1, Integer::sum));
    for (int i = 0; i < pending.size(); i++) {
      PendingJob job = pending.get(i);
      int inTenant = seen.merge(job.tenant(), 1, Integer::sum);
      positions[i] = new QueuePosition(i + 1, inTenant);
      if (job.backoffUntil().isPresent() && job.backoffUntil().get().isAfter(now)) {
        decisions[i] = backoff(job, positions[i]);
        continue;
      }
      TenantQueue queue =
          byTenant.computeIfAbsent(
              job.tenant(), tenant -> new TenantQueue(quota(tenant), perTenant.get(tenant)));
      queue.jobs[queue.size++] = i;
    }
    // The tenant with the lowest weighted dominant share goes next; on a tie, the one whose next
    // job has waited longest in the queue.
    PriorityQueue<TenantQueue> turns =
        new PriorityQueue<>(
            Comparator.comparingDouble((TenantQueue q) -> q.share)
                .thenComparingInt(q -> q.jobs[q.head]));
    for (TenantQueue queue : byTenant.values()) {
      queue.share = fairShare.share(ledger, queue.quota.tenant(), queue.quota.weight());
      turns.add(queue);
    }
    while (!turns.isEmpty()) {
      TenantQueue queue = turns.poll();
      int index = queue.jobs[queue.head++];
      Decision decision = decide(pending.get(index), queue.quota, positions[index]);
      decisions[index] = decision;
      if (!(decision instanceof Decision.Wait)) {
        queue.share = fairShare.share(ledger, queue.quota.tenant(), queue.quota.weight());
      }
      if (queue.head < queue.size) {
        turns.add(queue);
      }
    }
    return Arrays.asList(decisions);
  }

  private TenantQuota quota(String tenant) {
    TenantQuota quota = quotas.get(tenant);
    return quota == null ? TenantQuota.unlimited(tenant) : quota;
  }

  private Decision backoff(PendingJob job, QueuePosition position) {
    Refusal refusal =
        Refusal.of(
            ReasonCode.BACKOFF,
            "job '" + job.id() + "'",
            "waits before its next attempt until " + job.backoffUntil().get());
    return new Decision.Wait(job.id(), refusal, List.of(), position);
  }

  private Decision decide(PendingJob job, TenantQuota quota, QueuePosition position) {
    List<GovernedPool> pools = candidates.of(job.tenant(), job.choice());
    if (pools.isEmpty()) {
      return new Decision.Wait(job.id(), noMatchingPool(job.choice()), List.of(), position);
    }
    Amounts need = Amounts.ofAttempt(job.resources());
    Candidate best = null;
    List<PoolRejection> rejections = null;
    for (GovernedPool pool : pools) {
      ProviderInstanceInfo instance = instances.get(pool.providerInstance());
      Optional<Refusal> refusal = PoolCheck.admission(pool, instance, ledger, quota, need);
      Candidate candidate = null;
      if (refusal.isEmpty()) {
        Optional<IdleWorker> reuse = idle.reusable(pool.name(), job, now);
        if (reuse.isPresent()) {
          candidate = candidate(pool, instance, job, reuse, Optional.empty());
        } else {
          refusal = PoolCheck.room(pool, instance, ledger, need, Amounts.ZERO);
          if (refusal.isEmpty()) {
            candidate = candidate(pool, instance, job, Optional.empty(), Optional.empty());
          } else {
            candidate = replacing(pool, instance, job, need);
          }
        }
      }
      if (candidate != null) {
        if (best == null || ranking.compare(candidate, best) < 0) {
          best = candidate;
        }
      } else {
        if (rejections == null) {
          rejections = new ArrayList<>(pools.size());
        }
        rejections.add(new PoolRejection(pool.name(), refusal.get()));
      }
    }
    if (best == null) {
      return new Decision.Wait(job.id(), nearest(rejections), rejections, position);
    }
    return admit(job, best);
  }

  // A full pool still takes the job when retiring one of its idle workers that cannot run it
  // makes room: better than letting that worker sit until its idle timeout.
  private Candidate replacing(
      GovernedPool pool, ProviderInstanceInfo instance, PendingJob job, Amounts need) {
    Optional<IdleWorker> retire = idle.retirable(pool.name(), job, now);
    if (retire.isEmpty()
        || PoolCheck.room(pool, instance, ledger, need, Ledger.idleAmounts(retire.get()))
            .isPresent()) {
      return null;
    }
    return candidate(pool, instance, job, Optional.empty(), retire);
  }

  private Candidate candidate(
      GovernedPool pool,
      ProviderInstanceInfo instance,
      PendingJob job,
      Optional<IdleWorker> reuse,
      Optional<IdleWorker> retire) {
    return new Candidate(
        pool,
        instance,
        reuse,
        retire,
        PoolRanking.busy(pool, ledger.pool(pool.name())),
        pool.rate().perHour(job.resources()));
  }

  private Decision admit(PendingJob job, Candidate chosen) {
    Claim claim =
        new Claim(chosen.pool().name(), chosen.instance().name(), job.tenant(), job.resources());
    if (chosen.reuse().isPresent()) {
      IdleWorker worker = chosen.reuse().get();
      idle.take(worker);
      ledger.releaseIdle(worker);
      ledger.reserve(claim);
      return new Decision.Reuse(job.id(), worker.id(), claim);
    }
    chosen
        .retire()
        .ifPresent(
            worker -> {
              idle.take(worker);
              ledger.releaseIdle(worker);
            });
    ledger.reserve(claim);
    return new Decision.Provision(job.id(), claim, chosen.retire().map(IdleWorker::id));
  }

  private static Refusal noMatchingPool(PoolChoice choice) {
    if (choice instanceof PoolChoice.Pinned pinned) {
      return Refusal.of(
          ReasonCode.NO_MATCHING_POOL, "pool '" + pinned.pool() + "'", "does not exist");
    }
    String labels = ((PoolChoice.Selector) choice).describe();
    return Refusal.of(
        ReasonCode.NO_MATCHING_POOL, "pool selector " + labels, "no pool carries these labels");
  }

  // The job waits on what is likeliest to clear first; when every pool is too small, it says so.
  private static Refusal nearest(List<PoolRejection> rejections) {
    Refusal nearest = rejections.get(0).refusal();
    for (PoolRejection rejection : rejections) {
      if (rejection.refusal().code().compareTo(nearest.code()) < 0) {
        nearest = rejection.refusal();
      }
    }
    if (nearest.code() == ReasonCode.TOO_LARGE_FOR_POOL) {
      return new Refusal(
          ReasonCode.TOO_LARGE_FOR_ANY_POOL,
          nearest.subject(),
          nearest.dimension(),
          nearest.used(),
          nearest.limit(),
          nearest.need(),
          nearest.detail());
    }
    return nearest;
  }
}
