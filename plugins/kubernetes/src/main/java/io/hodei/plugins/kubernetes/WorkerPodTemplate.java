package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod every worker runs in, secure by default (the Restricted Pod Security Standard): non-root,
 * read-only root file system with writable empty dirs for the workspace and {@code /tmp}, no
 * capabilities, the runtime's seccomp profile, no service account token unless asked.
 */
final class WorkerPodTemplate {

  static final String WORKSPACE = "/workspace";
  static final String AGENT_HOME = "/opt/hodei";
  private static final String AGENT_STAGING = "/hodei-agent";

  private final KubernetesSettings settings;
  private final ConfigSnippets snippets;
  private final PodDecorators decorators;
  private final ProviderConfig config;

  WorkerPodTemplate(
      KubernetesSettings settings,
      ConfigSnippets snippets,
      PodDecorators decorators,
      ProviderConfig config) {
    this.settings = settings;
    this.snippets = snippets;
    this.decorators = decorators;
    this.config = config;
  }

  /** The decorated pod template for one worker. */
  PodTemplateSpec build(
      WorkerSpec worker,
      String namespace,
      Map<String, String> labels,
      List<String> pullSecretNames) {
    ObjectMeta metadata =
        new ObjectMetaBuilder()
            .withLabels(new TreeMap<>(labels))
            .addToAnnotations(OwnershipLabels.WORKER_ID, worker.workerId())
            .build();
    PodSpec spec = podSpec(worker, pullSecretNames);
    decorators.apply(
        new PodSpecContext(worker, namespace, settings.workloadKind(), metadata, spec, config));
    return new PodTemplateSpec(metadata, spec);
  }

  private PodSpec podSpec(WorkerSpec worker, List<String> pullSecretNames) {
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(emptyDir("workspace", worker.resources().diskMib()));
    mounts.add(mount("workspace", WORKSPACE, false));
    volumes.add(emptyDir("tmp", 0));
    mounts.add(mount("tmp", "/tmp", false));
    List<Container> initContainers = new ArrayList<>();
    if (settings.injectAgent()) {
      volumes.add(emptyDir("hodei-agent", 0));
      mounts.add(mount("hodei-agent", AGENT_HOME, true));
      initContainers.add(agentInstaller());
    }
    Container worker0 =
        new ContainerBuilder()
            .withName("worker")
            .withImage(image(worker))
            .withCommand(settings.agentCommand())
            .withEnv(environment(worker))
            .withWorkingDir(WORKSPACE)
            .withVolumeMounts(mounts)
            .withResources(resources(worker.resources()))
            .withSecurityContext(containerSecurity())
            .build();
    PodSpecBuilder spec =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            .withAutomountServiceAccountToken(settings.automountServiceAccountToken())
            // Service links would add one variable per service in the namespace to the job's env.
            .withEnableServiceLinks(false)
            .withTerminationGracePeriodSeconds((long) settings.terminationGraceSeconds())
            .withSecurityContext(
                new PodSecurityContextBuilder()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(settings.runAsUser())
                    .withRunAsGroup(settings.runAsUser())
                    .withFsGroup(settings.runAsUser())
                    .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                    .endSeccompProfile()
                    .build())
            .withInitContainers(initContainers)
            .withContainers(worker0)
            .withVolumes(volumes)
            .withImagePullSecrets(pullSecretNames.stream().map(LocalObjectReference::new).toList());
    settings.serviceAccount().ifPresent(spec::withServiceAccountName);
    Map<String, String> nodeSelector = snippets.parsedNodeSelector();
    if (!nodeSelector.isEmpty()) {
      spec.withNodeSelector(nodeSelector);
    }
    List<io.fabric8.kubernetes.api.model.Toleration> tolerations = snippets.parsedTolerations();
    if (!tolerations.isEmpty()) {
      spec.withTolerations(tolerations);
    }
    snippets.parsedAffinity().ifPresent(spec::withAffinity);
    return spec.build();
  }

  private String image(WorkerSpec worker) {
    return worker
        .image()
        .or(settings::defaultImage)
        .or(
            () ->
                settings.injectAgent()
                    // The agent image holds a Java runtime: enough for jobs that bring no image.
                    ? java.util.Optional.of(settings.agentImage())
                    : java.util.Optional.empty())
        .orElseThrow(
            () ->
                new ProviderException(
                    ErrorCode.INVALID_SPEC,
                    "worker "
                        + worker.workerId()
                        + " names no image and provider instance '"
                        + settings.instanceName()
                        + "' has no 'defaultImage': give the job an image or set defaultImage"));
  }

  /** Copies the agent runtime out of its image into the shared empty dir. */
  private Container agentInstaller() {
    return new ContainerBuilder()
        .withName("install-agent")
        .withImage(settings.agentImage())
        .withCommand("cp", "-R", AGENT_HOME + "/.", AGENT_STAGING + "/")
        .withVolumeMounts(mount("hodei-agent", AGENT_STAGING, false))
        .withResources(
            new ResourceRequirementsBuilder()
                .withRequests(
                    new TreeMap<>(
                        Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi"))))
                .withLimits(
                    new TreeMap<>(
                        Map.of("cpu", new Quantity("500m"), "memory", new Quantity("128Mi"))))
                .build())
        .withSecurityContext(containerSecurity())
        .build();
  }

  private static List<EnvVar> environment(WorkerSpec worker) {
    Map<String, String> env = new TreeMap<>(worker.env());
    env.putIfAbsent("HODEI_WORK_DIR", WORKSPACE);
    return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
  }

  /** Requests equal limits: the worker gets what it asked for, and no more. */
  private ResourceRequirements resources(Resources resources) {
    Map<String, Quantity> amounts = new TreeMap<>();
    if (resources.cpuMillis() > 0) {
      amounts.put("cpu", new Quantity(resources.cpuMillis() + "m"));
    }
    if (resources.memoryMib() > 0) {
      amounts.put("memory", new Quantity(resources.memoryMib() + "Mi"));
    }
    if (resources.diskMib() > 0) {
      amounts.put("ephemeral-storage", new Quantity(resources.diskMib() + "Mi"));
    }
    Map<String, Quantity> limits = new TreeMap<>(amounts);
    if (resources.gpus() > 0) {
      // Extended resources are set as limits; Kubernetes copies them to requests.
      limits.put(settings.gpuResourceName(), new Quantity(Integer.toString(resources.gpus())));
    }
    return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(limits).build();
  }

  private static SecurityContext containerSecurity() {
    Capabilities none = new CapabilitiesBuilder().withDrop("ALL").build();
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withCapabilities(none)
        .build();
  }

  private static Volume emptyDir(String name, long sizeMib) {
    VolumeBuilder volume = new VolumeBuilder().withName(name);
    return sizeMib > 0
        ? volume.withNewEmptyDir().withSizeLimit(new Quantity(sizeMib + "Mi")).endEmptyDir().build()
        : volume.withNewEmptyDir().endEmptyDir().build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    VolumeMountBuilder mount = new VolumeMountBuilder().withName(name).withMountPath(path);
    return readOnly ? mount.withReadOnly(true).build() : mount.build();
  }
}
