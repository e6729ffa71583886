package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.hodei.plugin.api.Capabilities;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugins.support.Daemons;
import io.hodei.plugins.support.Health;
import io.hodei.plugins.support.InstanceState;
import io.hodei.plugins.support.PluginVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import org.pf4j.Extension;

/**
 * Workers as Kubernetes Jobs (or bare Pods): one pod per worker, secure by default, the agent
 * injected by an init container, watched for failures outside the host's control.
 */
@Extension
public class KubernetesProvider implements WorkerManagerProvider {

  static final String TYPE = "kubernetes";
  static final String ATTR_NAMESPACE = "namespace";
  static final String ATTR_KIND = "kind";

  private static final Logger LOG = Logger.getLogger(KubernetesProvider.class.getName());
  private static final String VERSION =
      PluginVersion.of(KubernetesProvider.class, "plugin.properties");

  private volatile ProviderContext context;
  private final InstanceState<KubernetesSettings> state = new InstanceState<>();
  private Map<String, String> ownerLabels;
  private ClusterConnection connection;
  private WorkerNamespaces namespaces;
  private WorkerPodTemplate podTemplate;
  private PodDecorators decorators;
  private ScheduledExecutorService scheduler;
  private WorkerWatch watch;

  @Override
  public ProviderDescriptor describe() {
    KubernetesSettings s = state.settingsOrNull();
    Capabilities capabilities =
        s == null
            ? new Capabilities(
                KubernetesSettings.defaultMaxPerWorker(),
                Set.of("amd64"),
                Set.of(),
                0,
                true,
                Optional.empty())
            : new Capabilities(
                s.maxPerWorker(),
                Set.copyOf(s.architectures()),
                Set.of(),
                s.maxWorkers(),
                true,
                Optional.empty());
    return new ProviderDescriptor(TYPE, VERSION, capabilities);
  }

  @Override
  public synchronized void initialize(ProviderContext context) {
    if (this.context != null) {
      throw new ProviderException(ErrorCode.INTERNAL, "initialize() was called twice");
    }
    KubernetesSettings s = KubernetesSettings.read(context.instanceName(), context.config());
    ConfigSnippets snippets = ConfigSnippets.of(s);
    this.decorators =
        PodDecorators.load(
            s.instanceName(), s.decorators(), s.decoratorsDir().map(Path::of).orElse(null));
    this.ownerLabels = OwnershipLabels.owner(context.installationId(), context.instanceName());
    this.connection =
        ClusterConnection.open(s.instanceName(), s.connection(), context.credentials());
    this.namespaces = new WorkerNamespaces(s, context.credentials(), ownerLabels);
    this.podTemplate = new WorkerPodTemplate(s, snippets, decorators, context.config());
    String threadName = "hodei-kubernetes-" + s.instanceName();
    this.scheduler = Daemons.scheduler(threadName);
    this.watch =
        new WorkerWatch(s, ownerLabels, context.events(), context.clock(), scheduler, this::remove);
    state.opened(s.instanceName(), s);
    this.context = context;
    watch.start(connection.client());
    connection.onRebuild(watch::switchTo);
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "' ready: "
            + s.workloadKind()
            + " workers in "
            + (s.namespacePerTenant() ? "per-tenant namespaces" : "namespace " + s.namespace())
            + (decorators.names().isEmpty() ? "" : ", decorators " + decorators.names()));
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    KubernetesSettings s = state.require();
    if (!s.maxPerWorker().covers(spec.resources())) {
      throw new ProviderException(
          ErrorCode.RESOURCES_UNAVAILABLE,
          "worker "
              + spec.workerId()
              + " asks for "
              + s.maxPerWorker().firstExcess(spec.resources())
              + " on provider instance '"
              + s.instanceName()
              + "'; raise maxCpuMillis/maxMemoryMib/maxGpus/maxDiskMib if the cluster has"
              + " such nodes");
    }
    if (s.maxWorkers() > 0 && list().size() >= s.maxWorkers()) {
      throw new ProviderException(
          ErrorCode.CAPACITY_EXHAUSTED,
          "provider instance '"
              + s.instanceName()
              + "' holds its maximum of "
              + s.maxWorkers()
              + " workers");
    }
    String namespace = namespaces.namespaceFor(spec);
    KubernetesClient client = connection.client();
    namespaces.prepare(client, namespace, spec);
    Map<String, String> labels =
        OwnershipLabels.forWorker(
            spec.labels(),
            context.installationId(),
            s.instanceName(),
            spec.workerId(),
            s.workloadKind());
    String name = Workloads.name(spec.workerId());
    HasMetadata workload =
        Workloads.of(
            s.workloadKind(),
            name,
            namespace,
            labels,
            podTemplate.build(spec, namespace, labels, namespaces.pullSecretNames()),
            spec.maxLifetime(),
            s.ttlSecondsAfterFinished());
    workload.getMetadata().setAnnotations(Map.of(OwnershipLabels.WORKER_ID, spec.workerId()));
    WorkerHandle handle =
        new WorkerHandle(
            spec.workerId(),
            name,
            Map.of(ATTR_NAMESPACE, namespace, ATTR_KIND, s.workloadKind().label()));
    try {
      client.resource(workload).inNamespace(namespace).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 && sameWorker(client, handle)) {
        // A retried provision: the first call got through.
        return handle;
      }
      throw KubernetesErrors.translate(
          s.instanceName(), "creating " + s.workloadKind() + " " + namespace + "/" + name, e);
    }
    return handle;
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    KubernetesSettings s = state.require();
    KubernetesClient client = connection.client();
    String namespace = namespaceOf(handle);
    return KubernetesErrors.call(
        s.instanceName(),
        "reading the status of worker " + handle.workerId(),
        () ->
            kindOf(handle) == WorkloadKind.POD
                ? podStatus(
                    client.pods().inNamespace(namespace).withName(handle.resourceId()).get())
                : jobStatus(client, namespace, handle));
  }

  private static WorkerStatus podStatus(Pod pod) {
    return pod == null ? WorkerStatus.of(WorkerState.NOT_FOUND) : PodVerdict.of(pod).toStatus();
  }

  private WorkerStatus jobStatus(KubernetesClient client, String namespace, WorkerHandle handle) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(handle.resourceId()).get();
    if (job == null) {
      return WorkerStatus.of(WorkerState.NOT_FOUND);
    }
    Optional<Pod> pod =
        podsOf(client, namespace, handle.workerId()).stream()
            .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
    Optional<JobCondition> finished =
        job.getStatus() == null || job.getStatus().getConditions() == null
            ? Optional.empty()
            : job.getStatus().getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                .findFirst();
    if (finished.isPresent() && "Failed".equals(finished.get().getType())) {
      JobCondition failed = finished.get();
      if (pod.isEmpty() || !PodVerdict.of(pod.get()).state().isFinal()) {
        return WorkerStatus.of(
            WorkerState.FAILED,
            PodVerdict.INFRASTRUCTURE + failed.getReason() + ": " + failed.getMessage());
      }
    }
    if (pod.isPresent()) {
      return PodVerdict.of(pod.get()).toStatus();
    }
    if (finished.isPresent()) {
      return new WorkerStatus(WorkerState.EXITED, "Completed", Optional.of(0));
    }
    return WorkerStatus.of(WorkerState.PENDING, "waiting for the job controller to create the pod");
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    KubernetesSettings s = state.require();
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "': terminating worker "
            + handle.workerId()
            + " ("
            + reason.describe()
            + ")");
    watch.expectGone(handle.workerId());
    remove(namespaceOf(handle), handle.workerId(), kindOf(handle));
  }

  /** Deletes a worker's Job or Pod, and a Job's pods; succeeds when they are already gone. */
  private void remove(String namespace, String workerId, WorkloadKind kind) {
    KubernetesSettings s = state.settingsOrNull();
    KubernetesClient client = connection.client();
    String name = Workloads.name(workerId);
    KubernetesErrors.run(
        s.instanceName(),
        "deleting " + kind + " " + namespace + "/" + name,
        () -> {
          if (kind == WorkloadKind.JOB) {
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(name)
                .withPropagationPolicy(
                    io.fabric8.kubernetes.api.model.DeletionPropagation.valueOf(
                        s.deletePropagation().toUpperCase(java.util.Locale.ROOT)))
                .delete();
            // Garbage collection would do it too; deleting now stops the agent sooner.
            client
                .pods()
                .inNamespace(namespace)
                .withLabel(OwnershipLabels.WORKER, OwnershipLabels.labelValue(workerId))
                .withLabels(ownerLabels)
                .delete();
          } else {
            client.pods().inNamespace(namespace).withName(name).delete();
          }
        });
  }

  @Override
  public List<WorkerHandle> list() {
    KubernetesSettings s = state.require();
    KubernetesClient client = connection.client();
    return KubernetesErrors.call(
        s.instanceName(),
        "listing workers",
        () -> {
          List<WorkerHandle> handles = new ArrayList<>();
          var jobs = client.batch().v1().jobs();
          var pods = client.pods();
          List<Job> jobItems =
              s.namespacePerTenant()
                  ? jobs.inAnyNamespace().withLabels(ownerLabels).list().getItems()
                  : jobs.inNamespace(s.namespace()).withLabels(ownerLabels).list().getItems();
          var podSelector = new java.util.HashMap<>(ownerLabels);
          podSelector.put(OwnershipLabels.KIND, WorkloadKind.POD.label());
          List<Pod> podItems =
              s.namespacePerTenant()
                  ? pods.inAnyNamespace().withLabels(podSelector).list().getItems()
                  : pods.inNamespace(s.namespace()).withLabels(podSelector).list().getItems();
          jobItems.forEach(job -> handleOf(job, WorkloadKind.JOB).ifPresent(handles::add));
          podItems.forEach(pod -> handleOf(pod, WorkloadKind.POD).ifPresent(handles::add));
          return handles;
        });
  }

  private static Optional<WorkerHandle> handleOf(HasMetadata object, WorkloadKind kind) {
    var metadata = object.getMetadata();
    String workerId =
        Optional.ofNullable(metadata.getAnnotations())
            .map(a -> a.get(OwnershipLabels.WORKER_ID))
            .orElse(metadata.getLabels().get(OwnershipLabels.WORKER));
    if (workerId == null) {
      return Optional.empty();
    }
    return Optional.of(
        new WorkerHandle(
            workerId,
            metadata.getName(),
            Map.of(ATTR_NAMESPACE, metadata.getNamespace(), ATTR_KIND, kind.label())));
  }

  @Override
  public ProviderHealth health() {
    KubernetesSettings s = state.require();
    try {
      KubernetesErrors.run(
          s.instanceName(),
          "checking health",
          () ->
              connection
                  .client()
                  .pods()
                  .inNamespace(s.namespace())
                  .withLabels(ownerLabels)
                  .list(new ListOptionsBuilder().withLimit(1L).build()));
      return ProviderHealth.healthy();
    } catch (ProviderException e) {
      return Health.of(e);
    }
  }

  @Override
  public synchronized void close() {
    if (!state.close()) {
      return;
    }
    if (watch != null) {
      watch.close();
    }
    Daemons.stop(scheduler);
    if (connection != null) {
      connection.close();
    }
    if (decorators != null) {
      try {
        decorators.close();
      } catch (IOException e) {
        throw new ProviderException(
            ErrorCode.INTERNAL, "could not close the decorators' class loader", e);
      }
    }
  }

  private boolean sameWorker(KubernetesClient client, WorkerHandle handle) {
    String namespace = namespaceOf(handle);
    HasMetadata existing =
        kindOf(handle) == WorkloadKind.POD
            ? client.pods().inNamespace(namespace).withName(handle.resourceId()).get()
            : client.batch().v1().jobs().inNamespace(namespace).withName(handle.resourceId()).get();
    return existing != null
        && existing.getMetadata().getAnnotations() != null
        && handle
            .workerId()
            .equals(existing.getMetadata().getAnnotations().get(OwnershipLabels.WORKER_ID));
  }

  private List<Pod> podsOf(KubernetesClient client, String namespace, String workerId) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabels(ownerLabels)
        .withLabel(OwnershipLabels.WORKER, OwnershipLabels.labelValue(workerId))
        .list()
        .getItems();
  }

  private String namespaceOf(WorkerHandle handle) {
    return handle.attributes().getOrDefault(ATTR_NAMESPACE, state.require().namespace());
  }

  private WorkloadKind kindOf(WorkerHandle handle) {
    String kind = handle.attributes().get(ATTR_KIND);
    return kind == null ? state.require().workloadKind() : WorkloadKind.ofLabel(kind);
  }
}
