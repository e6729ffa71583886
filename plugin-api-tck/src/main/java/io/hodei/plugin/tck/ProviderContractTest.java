package io.hodei.plugin.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider conformance test kit: the contract of {@link WorkerManagerProvider}, which every
 * provider plugin's test extends, supplying a provider, its settings and two probes into its
 * backend.
 *
 * <p>Each test works with fresh installation ids, so that workers left by an earlier, crashed run
 * never match; everything a test provisions is terminated after it, even when it fails.
 */
public abstract class ProviderContractTest {

  // ---- What a provider's test supplies ----

  /** A new, uninitialized instance of the provider under test. */
  protected abstract WorkerManagerProvider createProvider();

  /**
   * Settings for a provider instance named {@code instanceName}. Every call must point at the same
   * backend: the tests start several instances and expect them to see each other's workers when
   * they share an installation id.
   */
  protected abstract ProviderConfig providerConfig(String instanceName);

  /** Resources that this provider can never offer, e.g. more cores than the largest machine. */
  protected abstract Resources impossibleResources();

  /**
   * The environment the backend actually gave the worker's process: read from the process, the
   * container's inspection, the pod spec, or a fake's recorded request. Not what the provider says
   * it did.
   */
  protected abstract Map<String, String> environmentOf(WorkerHandle handle) throws Exception;

  /** The labels the backend recorded for the worker (container labels, tags, a state file). */
  protected abstract Map<String, String> labelsOf(WorkerHandle handle) throws Exception;

  // ---- Hooks with defaults ----

  /** Adjusts the spec the tests provision, e.g. to set an image that runs a long command. */
  protected WorkerSpec customizeSpec(WorkerSpec spec) {
    return spec;
  }

  /** What a worker asks for; small enough for any backend. */
  protected Resources workerResources() {
    return Resources.of(100, 64);
  }

  /** The credentials the provider instances get. */
  protected CredentialHandle credentials() {
    return TestingCredentialHandle.empty();
  }

  /** The clock the provider instances get; the system clock, so waits inside providers end. */
  protected Clock clock() {
    return Clock.systemUTC();
  }

  /** How long a provisioned worker may take to reach RUNNING, and a terminated one to go. */
  protected Duration stateTimeout() {
    return Duration.ofSeconds(60);
  }

  /** How long a closed provider's threads may take to end. */
  protected Duration closeTimeout() {
    return Duration.ofSeconds(15);
  }

  /**
   * Whether a thread started during a provider's life may outlive {@link
   * WorkerManagerProvider#close()}. By default only the JDK's shared common pool, which belongs to
   * no provider; override to name a library's pool that ends on its own schedule.
   */
  protected boolean mayOutliveClose(Thread thread) {
    return thread instanceof ForkJoinWorkerThread worker
        && worker.getPool() == ForkJoinPool.commonPool();
  }

  /** A handle the provider never issued. */
  protected WorkerHandle unknownHandle() {
    return new WorkerHandle("tck-unknown-" + runId, "tck-unknown-resource-" + runId);
  }

  // ---- State of one test ----

  private final String runId = UUID.randomUUID().toString().substring(0, 8);

  /** The installation whose workers the tests make. */
  protected final String installationA = "tck-a-" + runId;

  /** Another installation sharing the backend, which must never see installation A's workers. */
  protected final String installationB = "tck-b-" + runId;

  /** The provider instance name every test uses; the same for both installations on purpose. */
  protected final String instanceName = "tck-" + runId;

  /** Every event the provider instances of this test published. */
  protected final RecordingEventSink events = new RecordingEventSink();

  private final List<WorkerManagerProvider> openProviders = new ArrayList<>();
  private final List<Provisioned> provisioned = new ArrayList<>();

  private record Provisioned(String installationId, WorkerHandle handle) {}

  @BeforeEach
  void announce() {
    // The ids make leftovers traceable on the backend if cleanup itself fails.
    System.out.println("TCK run " + runId + " against " + getClass().getName());
  }

  @AfterEach
  void terminateLeftovers() {
    List<Throwable> failures = new ArrayList<>();
    Map<String, List<WorkerHandle>> byInstallation = new LinkedHashMap<>();
    for (Provisioned p : provisioned) {
      byInstallation.computeIfAbsent(p.installationId(), i -> new ArrayList<>()).add(p.handle());
    }
    // A fresh instance per installation: the one that provisioned may be closed by now.
    byInstallation.forEach(
        (installation, handles) -> {
          WorkerManagerProvider janitor = startProvider(installation);
          for (WorkerHandle handle : handles) {
            try {
              janitor.terminate(
                  handle,
                  new TerminationReason(TerminationReason.Cause.ADMINISTRATIVE, "TCK cleanup"));
            } catch (RuntimeException e) {
              failures.add(
                  new AssertionError(
                      "cleanup could not terminate " + handle + "; remove it by hand", e));
            }
          }
        });
    for (WorkerManagerProvider provider : List.copyOf(openProviders)) {
      try {
        closeProvider(provider);
      } catch (RuntimeException e) {
        failures.add(new AssertionError("close() threw during cleanup", e));
      }
    }
    if (!failures.isEmpty()) {
      AssertionError error = new AssertionError("TCK cleanup failed: " + failures.size());
      failures.forEach(error::addSuppressed);
      throw error;
    }
  }

  // ---- The contract ----

  @Test
  void describeIsValidBeforeInitialize() {
    ProviderDescriptor descriptor = createProvider().describe();

    assertThat(descriptor).as("describe() before initialize").isNotNull();
    assertThat(descriptor.version())
        .as("describe().version() of provider type '%s'", descriptor.type())
        .isNotBlank();
    assertThat(descriptor.capabilities()).as("describe().capabilities()").isNotNull();
    assertThat(descriptor.capabilities().maxPerWorker())
        .as("capabilities().maxPerWorker()")
        .isNotNull();
    assertThat(descriptor.capabilities().maxPerWorker().covers(impossibleResources()))
        .as(
            "capabilities().maxPerWorker() %s claims to cover impossibleResources() %s; the"
                + " scheduler would send such workers here",
            descriptor.capabilities().maxPerWorker(), impossibleResources())
        .isFalse();
  }

  @Test
  void healthIsReportedForAWorkingConfiguration() {
    WorkerManagerProvider provider = startProvider(installationA);

    ProviderHealth health = provider.health();

    assertThat(health).as("health()").isNotNull();
    assertThat(health.acceptsWork())
        .as("health() with the test's own configuration said: %s", health)
        .isTrue();
  }

  @Test
  void provisionedWorkerIsListedWithOwnershipLabels() throws Exception {
    WorkerManagerProvider provider = startProvider(installationA);
    WorkerSpec spec = newSpec(installationA);

    WorkerHandle handle = provision(provider, spec);

    assertThat(handle.workerId())
        .as("the handle's workerId must be the spec's workerId")
        .isEqualTo(spec.workerId());
    assertThat(listed(provider, spec.workerId()))
        .as("list() after provisioning %s must contain it", spec.workerId())
        .isPresent()
        .get()
        .extracting(WorkerHandle::resourceId)
        .as("the listed handle's resourceId must match the one provision() returned")
        .isEqualTo(handle.resourceId());
    assertThat(labelsOf(handle))
        .as("the labels the backend recorded for %s must hold the spec's labels", handle)
        .containsAllEntriesOf(spec.labels());
  }

  @Test
  void listReturnsOnlyThisInstallationsWorkers() {
    WorkerManagerProvider providerA = startProvider(installationA);
    WorkerManagerProvider providerB = startProvider(installationB);
    WorkerHandle handle = provision(providerA, newSpec(installationA));

    assertThat(providerB.list())
        .as(
            "list() of installation %s must not return %s, a worker of installation %s on the"
                + " same backend and instance name",
            installationB, handle.workerId(), installationA)
        .extracting(WorkerHandle::workerId)
        .doesNotContain(handle.workerId());
    assertThat(listed(providerA, handle.workerId()))
        .as("list() of installation %s must still return its own worker", installationA)
        .isPresent();
  }

  @Test
  void provisionedWorkerBecomesRunning() {
    WorkerManagerProvider provider = startProvider(installationA);
    WorkerHandle handle = provision(provider, newSpec(installationA));

    WorkerStatus status = awaitStatus(provider, handle, s -> s.state() == WorkerState.RUNNING);

    assertThat(status.state())
        .as("status of %s within %s (last detail: '%s')", handle, stateTimeout(), status.detail())
        .isEqualTo(WorkerState.RUNNING);
  }

  @Test
  void specEnvironmentReachesTheWorker() throws Exception {
    WorkerManagerProvider provider = startProvider(installationA);
    WorkerSpec spec = newSpec(installationA);
    WorkerHandle handle = provision(provider, spec);
    awaitStatus(provider, handle, s -> s.state() == WorkerState.RUNNING);

    Map<String, String> environment = environmentOf(handle);

    for (String name :
        List.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN, PluginApi.ENV_SERVER_ADDRESS, PluginApi.ENV_WORKER_ID)) {
      assertThat(environment.get(name))
          .as("environment variable %s in the worker the backend started", name)
          .isEqualTo(spec.env().get(name));
    }
  }

  @Test
  void terminateIsIdempotentAndRemovesTheWorker() {
    WorkerManagerProvider provider = startProvider(installationA);
    WorkerHandle handle = provision(provider, newSpec(installationA));
    awaitStatus(provider, handle, s -> s.state() == WorkerState.RUNNING);
    TerminationReason reason = TerminationReason.of(TerminationReason.Cause.JOB_FINISHED);

    provider.terminate(handle, reason);
    assertThatCode(() -> provider.terminate(handle, reason))
        .as("a second terminate(%s) must succeed: terminate is idempotent", handle)
        .doesNotThrowAnyException();

    WorkerStatus status = awaitStatus(provider, handle, s -> s.state().isFinal());
    assertThat(status.state().isFinal())
        .as("status of %s after terminate, within %s", handle, stateTimeout())
        .isTrue();
    assertThat(awaitListed(provider, handle.workerId(), false))
        .as("list() after terminate(%s) must no longer contain it", handle.workerId())
        .isFalse();
  }

  @Test
  void terminatingAnUnknownWorkerSucceeds() {
    WorkerManagerProvider provider = startProvider(installationA);
    WorkerHandle unknown = unknownHandle();

    assertThatCode(
            () ->
                provider.terminate(unknown, TerminationReason.of(TerminationReason.Cause.ORPHANED)))
        .as("terminate(%s), a worker this provider never started, must succeed", unknown)
        .doesNotThrowAnyException();
  }

  @Test
  void statusOfAnUnknownWorkerIsNotFound() {
    WorkerManagerProvider provider = startProvider(installationA);
    WorkerHandle unknown = unknownHandle();

    assertThat(provider.status(unknown).state())
        .as("status(%s), a worker this provider never started", unknown)
        .isEqualTo(WorkerState.NOT_FOUND);
  }

  @Test
  void impossibleResourcesFailWithResourcesUnavailable() {
    WorkerManagerProvider provider = startProvider(installationA);
    WorkerSpec spec = withResources(newSpec(installationA), impossibleResources());

    ProviderException error =
        catchThrowableOfType(ProviderException.class, () -> provision(provider, spec));

    assertThat(error)
        .as("provision() asking for %s must throw a ProviderException", impossibleResources())
        .isNotNull();
    assertThat(error.code())
        .as("the error code for %s (message: %s)", impossibleResources(), error.getMessage())
        .isEqualTo(ErrorCode.RESOURCES_UNAVAILABLE);
    assertThat(error.getMessage()).as("the error message must say what was wrong").isNotBlank();
  }

  @Test
  void closeLeavesWorkersForTheHostToTerminate() {
    WorkerManagerProvider first = startProvider(installationA);
    WorkerHandle handle = provision(first, newSpec(installationA));
    awaitStatus(first, handle, s -> s.state() == WorkerState.RUNNING);

    closeProvider(first);
    WorkerManagerProvider second = startProvider(installationA);

    assertThat(second.status(handle).state())
        .as("a worker must keep running after its provider instance is closed")
        .isEqualTo(WorkerState.RUNNING);
    assertThat(listed(second, handle.workerId()))
        .as("a new instance of the same installation must list the closed instance's worker")
        .isPresent();
  }

  @Test
  void closeReleasesTheProvidersThreadsAndLaterCallsFail() throws Exception {
    // Everything the provider starts from its calls lands in this group, unless it names another.
    ThreadGroup group = new ThreadGroup("hodei-tck-" + runId);
    AtomicReference<WorkerManagerProvider> provider = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread driver =
        new Thread(
            group,
            () -> {
              try {
                WorkerManagerProvider p = startProvider(installationA);
                provider.set(p);
                WorkerHandle handle = provision(p, newSpec(installationA));
                awaitStatus(p, handle, s -> s.state() == WorkerState.RUNNING);
                p.status(handle);
                p.list();
                p.health();
                p.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "hodei-tck-driver-" + runId);
    driver.start();
    driver.join(stateTimeout().multipliedBy(2).toMillis());
    assertThat(driver.isAlive()).as("the provider calls did not finish in time").isFalse();
    if (failure.get() != null) {
      throw new AssertionError("using the provider before close failed", failure.get());
    }

    closeProvider(provider.get());

    List<Thread> left = awaitThreadsGone(group);
    assertThat(left)
        .as(
            "threads the provider started and did not end within %s of close(): %s",
            closeTimeout(), describe(left))
        .isEmpty();
    WorkerManagerProvider closed = provider.get();
    assertThat(catchThrowableOfType(ProviderException.class, closed::list))
        .as("list() after close() must throw a ProviderException")
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                ProviderException.class, () -> closed.provision(newSpec(installationA))))
        .as("provision() after close() must throw a ProviderException and start nothing")
        .isNotNull();
  }

  // ---- Helpers, available to a provider's own tests ----

  /**
   * Creates and initializes a provider instance of {@code installationId}; closed after the test.
   */
  protected WorkerManagerProvider startProvider(String installationId) {
    WorkerManagerProvider provider = createProvider();
    ProviderContext context =
        new ProviderContext(
            instanceName,
            installationId,
            providerConfig(instanceName),
            credentials(),
            events,
            clock());
    provider.initialize(context);
    synchronized (openProviders) {
      openProviders.add(provider);
    }
    return provider;
  }

  /** Closes a provider started by {@link #startProvider}, once. */
  protected void closeProvider(WorkerManagerProvider provider) {
    boolean open;
    synchronized (openProviders) {
      open = openProviders.remove(provider);
    }
    if (open) {
      provider.close();
    }
  }

  /** A spec as the host would build it, with a fresh worker id, token and ownership labels. */
  protected WorkerSpec newSpec(String installationId) {
    String workerId = "tck-w-" + UUID.randomUUID().toString().substring(0, 12);
    Map<String, String> env =
        Map.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN,
            "tck-token-" + UUID.randomUUID(),
            PluginApi.ENV_SERVER_ADDRESS,
            "127.0.0.1:9",
            PluginApi.ENV_WORKER_ID,
            workerId);
    Map<String, String> labels =
        Map.of(
            PluginApi.LABEL_MANAGED, "true",
            PluginApi.LABEL_INSTALLATION, installationId,
            PluginApi.LABEL_WORKER, workerId,
            PluginApi.LABEL_PROVIDER_INSTANCE, instanceName);
    return customizeSpec(
        new WorkerSpec(
            workerId, Optional.empty(), workerResources(), env, labels, Duration.ofMinutes(30)));
  }

  /** Provisions and remembers the worker, so that it is terminated after the test. */
  protected WorkerHandle provision(WorkerManagerProvider provider, WorkerSpec spec) {
    WorkerHandle handle = provider.provision(spec);
    assertThat(handle).as("provision(%s) returned null", spec).isNotNull();
    synchronized (provisioned) {
      provisioned.add(new Provisioned(spec.installationId(), handle));
    }
    return handle;
  }

  /** Polls status until it matches or {@link #stateTimeout()} passes; returns the last status. */
  protected WorkerStatus awaitStatus(
      WorkerManagerProvider provider, WorkerHandle handle, Predicate<WorkerStatus> condition) {
    long deadline = System.nanoTime() + stateTimeout().toNanos();
    WorkerStatus status = provider.status(handle);
    while (!condition.test(status) && System.nanoTime() < deadline) {
      pause();
      status = provider.status(handle);
    }
    assertThat(status).as("status(%s) returned null", handle).isNotNull();
    return status;
  }

  private boolean awaitListed(WorkerManagerProvider provider, String workerId, boolean wanted) {
    long deadline = System.nanoTime() + stateTimeout().toNanos();
    boolean present = listed(provider, workerId).isPresent();
    while (present != wanted && System.nanoTime() < deadline) {
      pause();
      present = listed(provider, workerId).isPresent();
    }
    return present;
  }

  private static Optional<WorkerHandle> listed(WorkerManagerProvider provider, String workerId) {
    List<WorkerHandle> all = provider.list();
    assertThat(all).as("list() returned null").isNotNull();
    return all.stream().filter(h -> h.workerId().equals(workerId)).findFirst();
  }

  private static WorkerSpec withResources(WorkerSpec spec, Resources resources) {
    return new WorkerSpec(
        spec.workerId(), spec.image(), resources, spec.env(), spec.labels(), spec.maxLifetime());
  }

  private List<Thread> awaitThreadsGone(ThreadGroup group) throws InterruptedException {
    long deadline = System.nanoTime() + closeTimeout().toNanos();
    List<Thread> left = liveThreads(group);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      // Some JDK resources (an HttpClient's selector) end only once unreachable.
      System.gc();
      Thread.sleep(100);
      left = liveThreads(group);
    }
    return left;
  }

  private List<Thread> liveThreads(ThreadGroup group) {
    Thread[] threads = new Thread[group.activeCount() + 16];
    int count = group.enumerate(threads, true);
    return Arrays.stream(threads, 0, count)
        .filter(Thread::isAlive)
        .filter(t -> !mayOutliveClose(t))
        .toList();
  }

  private static String describe(List<Thread> threads) {
    return threads.stream()
        .map(
            t -> {
              StackTraceElement[] stack = t.getStackTrace();
              return t.getName() + (stack.length > 0 ? " at " + stack[0] : "");
            })
        .collect(Collectors.joining("; ", "[", "]"));
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the provider", e);
    }
  }
}
