package io.hodei.server.controller;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The reconciliation loop: places pending jobs, dispatches assigned ones, enforces deadlines and
 * frees workers. It is woken when something happens (a job submitted, a worker connected, a result
 * arrived) and runs every few seconds anyway, so a missed signal costs seconds, never a job.
 * Several servers can run it against one database: each pass claims rows with {@code SKIP LOCKED}.
 */
@ApplicationScoped
public class JobController {

  private static final Logger LOG = Logger.getLogger(JobController.class);

  private final JobPlacement placement;
  private final JobDispatch dispatch;
  private final Deadlines deadlines;
  private final WorkerReaper reaper;
  private final ProvisioningRecovery recovery;
  private final SecretLeases leases;

  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private volatile boolean stopped;

  public JobController(
      JobPlacement placement,
      JobDispatch dispatch,
      Deadlines deadlines,
      WorkerReaper reaper,
      ProvisioningRecovery recovery,
      SecretLeases leases) {
    this.placement = placement;
    this.recovery = recovery;
    this.dispatch = dispatch;
    this.deadlines = deadlines;
    this.reaper = reaper;
    this.leases = leases;
  }

  /** Asks for a pass soon. Cheap and safe to call from any thread, any number of times. */
  public void wake() {
    again.set(true);
    if (stopped || !running.compareAndSet(false, true)) {
      return;
    }
    again.set(false);
    pass()
        .subscribe()
        .with(
            ignored -> finished(),
            failure -> {
              LOG.warn("A controller pass failed; the next one retries", failure);
              finished();
            });
  }

  @Scheduled(
      every = "${hodei.controller.resync-interval:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void resync() {
    wake();
  }

  void onWakeUp(@Observes WakeUp event) {
    wake();
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
  }

  private void finished() {
    running.set(false);
    if (again.get()) {
      wake();
    }
  }

  private Uni<Void> pass() {
    return recovery
        .reconcile()
        .chain(placement::placePending)
        .chain(dispatch::dispatchAssigned)
        .chain(deadlines::enforce)
        .chain(reaper::release)
        .chain(leases::releaseEnded);
  }
}
