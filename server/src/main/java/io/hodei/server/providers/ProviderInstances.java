package io.hodei.server.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.server.credentials.CredentialHandles;
import io.hodei.server.persistence.Db;
import io.hodei.server.plugins.ManagedProvider;
import io.hodei.server.plugins.PluginHost;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The open provider instances of this server. The instances' definitions live in PostgreSQL; this
 * holds only what cannot: the live provider objects, their last observed health, and why an
 * instance could not be opened.
 */
@ApplicationScoped
public class ProviderInstances {

  private static final Logger LOG = Logger.getLogger(ProviderInstances.class);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(10);

  private final PluginHost plugins;
  private final Db db;
  private final ObjectMapper json;
  private final Event<ProviderWorkerEvent> workerEvents;
  private final Installation installation;
  private final LocalProviderDefaults localDefaults;
  private final CredentialHandles credentials;
  private final Clock clock;

  private final Map<String, ManagedProvider> open = new ConcurrentHashMap<>();
  private final Map<String, ProviderHealth> health = new ConcurrentHashMap<>();
  private final Map<String, String> openFailures = new ConcurrentHashMap<>();
  private final Set<String> creating = ConcurrentHashMap.newKeySet();

  public ProviderInstances(
      PluginHost plugins,
      Db db,
      ObjectMapper json,
      Event<ProviderWorkerEvent> workerEvents,
      Installation installation,
      LocalProviderDefaults localDefaults,
      CredentialHandles credentials,
      Clock clock) {
    this.plugins = plugins;
    this.credentials = credentials;
    this.db = db;
    this.json = json;
    this.workerEvents = workerEvents;
    this.installation = installation;
    this.localDefaults = localDefaults;
    this.clock = clock;
  }

  /** The open provider of an instance, if its plugin is loaded and it initialized. */
  public Optional<ManagedProvider> get(String name) {
    return Optional.ofNullable(open.get(name));
  }

  /**
   * The instance's last observed health, UNKNOWN until its first check answers; empty while it is
   * not open.
   */
  public Optional<ProviderHealth> health(String name) {
    return get(name).map(p -> health.getOrDefault(name, ProviderHealth.unknown()));
  }

  /** The largest worker the instance can start, or nothing while it is not open. */
  public Resources maxPerWorker(String name) {
    return get(name).map(p -> p.descriptor().capabilities().maxPerWorker()).orElse(Resources.NONE);
  }

  /** Why the instance is not open, if it is not. */
  public Optional<String> problem(String name) {
    if (open.containsKey(name)) {
      return Optional.empty();
    }
    return Optional.of(openFailures.getOrDefault(name, "not opened yet"));
  }

  /** Opens every stored instance that is not open yet and whose plugin is loaded. */
  @Scheduled(
      every = "${hodei.providers.refresh-interval:5s}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> refresh() {
    // Only these may be closed for lacking a row: one created meanwhile is not in the list read.
    Set<String> openBefore = Set.copyOf(open.keySet());
    return db.tx(
            session ->
                session
                    .createQuery("from ProviderInstanceEntity", ProviderInstanceEntity.class)
                    .getResultList())
        // Opening initializes providers, which may block: never on the event loop.
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .invoke(this::openMissing)
        .invoke(instances -> closeRemoved(instances, openBefore))
        .replaceWithVoid()
        .onItem()
        .transformToUni(ignored -> refreshHealth());
  }

  /** Opens one instance now; throws the provider's own error when it cannot be initialized. */
  public ManagedProvider open(ProviderInstanceEntity entity) {
    ManagedProvider existing = open.get(entity.name);
    if (existing != null) {
      return existing;
    }
    ManagedProvider provider = openUnregistered(entity);
    register(entity, provider);
    return provider;
  }

  /**
   * Claims {@code name} for one create request, so that no other request or refresh opens a
   * provider under that name meanwhile (opening one replaces the name's credential handle). False
   * when another request holds it. Give it back with {@link #endCreation}.
   */
  public boolean beginCreation(String name) {
    return creating.add(name);
  }

  public void endCreation(String name) {
    creating.remove(name);
  }

  /**
   * Opens a provider for a definition that is not stored yet: it becomes the instance's provider
   * only through {@link #register}, once stored; otherwise {@link #discard} closes it. Call it
   * between {@link #beginCreation} and {@link #endCreation}.
   */
  public ManagedProvider openUnregistered(ProviderInstanceEntity entity) {
    Map<String, String> settings = new HashMap<>(readConfig(entity));
    if ("local".equals(entity.type)) {
      localDefaults.fillIn(entity.name, settings);
    }
    ProviderConfig config = new ProviderConfig(entity.name, settings);
    ProviderContext context =
        new ProviderContext(
            entity.name,
            installation.id(),
            config,
            credentials.forProviderInstance(entity.name, settings),
            event -> workerEvents.fireAsync(new ProviderWorkerEvent(entity.name, event)),
            clock);
    try {
      return plugins.open(entity.type, context);
    } catch (RuntimeException e) {
      credentials.release(entity.name);
      throw e;
    }
  }

  /** Makes {@code provider} the open provider of the stored instance. */
  public void register(ProviderInstanceEntity entity, ManagedProvider provider) {
    open.put(entity.name, provider);
    openFailures.remove(entity.name);
    LOG.infof("Opened provider instance %s (type %s)", entity.name, entity.type);
    // Check now rather than at the next refresh: UNKNOWN should not last longer than one check.
    checkHealth(entity.name, provider).subscribe().with(ignored -> {}, failure -> {});
  }

  /**
   * Closes a provider opened by {@link #openUnregistered} whose definition was not stored. Only
   * that provider: an open instance of the same name, someone else's, stays as it is.
   */
  public void discard(String name, ManagedProvider provider) {
    provider.close();
    if (!open.containsKey(name)) {
      credentials.release(name);
    }
  }

  /** Closes an instance, e.g. before its definition is removed. */
  public void close(String name) {
    ManagedProvider provider = open.remove(name);
    health.remove(name);
    if (provider != null) {
      provider.close();
    }
    credentials.release(name);
  }

  /** Every open provider, by instance name. */
  public Map<String, ManagedProvider> all() {
    return Map.copyOf(open);
  }

  Map<String, String> readConfig(ProviderInstanceEntity entity) {
    try {
      return json.readValue(entity.config, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored configuration of provider instance " + entity.name + " is not a JSON object", e);
    }
  }

  private void openMissing(List<ProviderInstanceEntity> instances) {
    for (ProviderInstanceEntity entity : instances) {
      // In this order: a create request registers its provider before it ends its claim.
      if (creating.contains(entity.name) || open.containsKey(entity.name)) {
        continue;
      }
      if (!plugins.providerTypes().contains(entity.type)) {
        openFailures.put(
            entity.name, "no loaded plugin offers provider type '" + entity.type + "'");
        continue;
      }
      try {
        open(entity);
      } catch (ProviderException e) {
        openFailures.put(entity.name, e.getMessage());
        LOG.warnf("Provider instance %s cannot be opened: %s", entity.name, e.getMessage());
      } catch (RuntimeException e) {
        openFailures.put(entity.name, e.toString());
        LOG.warnf(e, "Provider instance %s cannot be opened", entity.name);
      }
    }
  }

  private void closeRemoved(List<ProviderInstanceEntity> instances, Set<String> openBefore) {
    Map<String, String> types = new HashMap<>();
    instances.forEach(i -> types.put(i.name, i.type));
    for (String name : openBefore) {
      if (!types.containsKey(name) && open.containsKey(name)) {
        close(name);
      }
    }
  }

  private Uni<Void> refreshHealth() {
    List<Uni<Void>> checks =
        open.entrySet().stream()
            .map(entry -> checkHealth(entry.getKey(), entry.getValue()))
            .toList();
    return checks.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.join().all(checks).andCollectFailures().replaceWithVoid();
  }

  private Uni<Void> checkHealth(String name, ManagedProvider provider) {
    return Uni.createFrom()
        .completionStage(provider::health)
        .ifNoItem()
        .after(HEALTH_TIMEOUT)
        .fail()
        .onFailure()
        .recoverWithItem(
            failure -> ProviderHealth.unhealthy("health check failed: " + failure.getMessage()))
        .invoke(result -> recordHealth(name, provider, result))
        .replaceWithVoid();
  }

  private void recordHealth(String name, ManagedProvider provider, ProviderHealth result) {
    if (open.get(name) != provider) {
      return; // closed or replaced while the check ran
    }
    ProviderHealth previous = health.put(name, result);
    if (previous == null || previous.status() != result.status()) {
      LOG.infof("Provider instance %s is %s %s", name, result.status(), result.detail());
    }
  }

  /** A worker event reported by a provider instance, delivered asynchronously. */
  public record ProviderWorkerEvent(String instanceName, WorkerEvent event) {}
}
