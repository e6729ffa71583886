package io.hodei.server.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.credentials.tenants.TenantName;
import io.hodei.server.governance.Labels;
import io.hodei.server.persistence.Db;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Applies the provider instances and pools declared in configuration to the database at start, then
 * opens the providers. Declared entries win over stored ones of the same name; entries created
 * through the API are left alone.
 */
@ApplicationScoped
public class DeclaredSetup {

  private static final Logger LOG = Logger.getLogger(DeclaredSetup.class);

  private final ProviderInstancesConfig instances;
  private final PoolsConfig pools;
  private final ProviderInstances providers;
  private final Db db;
  private final ObjectMapper json;
  private final Clock clock;

  public DeclaredSetup(
      ProviderInstancesConfig instances,
      PoolsConfig pools,
      ProviderInstances providers,
      Db db,
      ObjectMapper json,
      Clock clock) {
    this.instances = instances;
    this.pools = pools;
    this.providers = providers;
    this.db = db;
    this.json = json;
    this.clock = clock;
  }

  void onStart(@Observes @Priority(50) StartupEvent event) {
    db.tx(this::apply).await().atMost(Duration.ofMinutes(1));
    // A provider that cannot open yet (its plugin still loading) is retried by the refresh loop.
    providers.refresh().await().atMost(Duration.ofMinutes(2));
  }

  private Uni<Void> apply(Mutiny.Session session) {
    Instant now = clock.instant();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Map.Entry<String, ProviderInstancesConfig.Instance> declared :
        instances.instances().entrySet()) {
      chain =
          chain.chain(() -> upsertInstance(session, declared.getKey(), declared.getValue(), now));
    }
    chain = chain.call(session::flush);
    for (Map.Entry<String, PoolsConfig.PoolDefinition> declared : pools.pools().entrySet()) {
      chain = chain.chain(() -> upsertPool(session, declared.getKey(), declared.getValue(), now));
    }
    return chain;
  }

  private Uni<Void> upsertInstance(
      Mutiny.Session session, String name, ProviderInstancesConfig.Instance declared, Instant now) {
    return session
        .find(ProviderInstanceEntity.class, name)
        .chain(
            found -> {
              ProviderInstanceEntity entity = found == null ? new ProviderInstanceEntity() : found;
              entity.name = name;
              entity.type = declared.type();
              entity.config = toJson(declared.config());
              entity.maxWorkers = declared.maxWorkers().orElse(null);
              entity.maxCpuMillis = declared.maxCpuMillis().orElse(null);
              entity.maxMemoryMib = declared.maxMemoryMib().orElse(null);
              entity.updatedAt = now;
              if (found == null) {
                entity.createdAt = now;
                LOG.infof("Declared provider instance %s (type %s)", name, declared.type());
                return session.persist(entity);
              }
              return Uni.createFrom().voidItem();
            });
  }

  private Uni<Void> upsertPool(
      Mutiny.Session session, String name, PoolsConfig.PoolDefinition declared, Instant now) {
    return session
        .find(PoolEntity.class, name)
        .chain(
            found -> {
              PoolEntity entity = found == null ? new PoolEntity() : found;
              entity.name = name;
              entity.providerInstance = declared.providerInstance();
              entity.maxWorkers = declared.maxWorkers();
              entity.maxJobsPerWorker = declared.maxJobsPerWorker();
              entity.idleTimeoutMillis = declared.idleTimeout().toMillis();
              entity.provisioningTimeoutMillis = declared.provisioningTimeout().toMillis();
              entity.tenant =
                  declared.tenant().map(tenant -> declaredTenant(name, tenant)).orElse(null);
              entity.allowUnisolated = declared.allowUnisolated();
              entity.labels = Labels.write(declared.labels());
              entity.cpuMillis = declared.cpuMillis().orElse(null);
              entity.memoryMib = declared.memoryMib().orElse(null);
              entity.gpus = declared.gpus().orElse(null);
              entity.ratePerWorkerHour = declared.ratePerWorkerHour();
              entity.ratePerVcpuHour = declared.ratePerVcpuHour();
              entity.ratePerGibHour = declared.ratePerGibHour();
              entity.priority = declared.priority();
              entity.state = declared.state();
              if (found == null) {
                entity.createdAt = now;
                LOG.infof(
                    "Declared pool %s on provider instance %s", name, entity.providerInstance);
                return session.persist(entity);
              }
              return Uni.createFrom().voidItem();
            });
  }

  private static String declaredTenant(String pool, String tenant) {
    if (!TenantName.isValid(tenant)) {
      throw new IllegalStateException(
          "hodei.pools." + pool + ".tenant must be a tenant name: " + TenantName.RULE);
    }
    return tenant;
  }

  private String toJson(Map<String, String> config) {
    try {
      return json.writeValueAsString(new TreeMap<>(config));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write provider configuration as JSON", e);
    }
  }
}
