package io.hodei.server.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hodei.core.FieldProblem;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.server.api.ApiException;
import io.hodei.server.api.Echo;
import io.hodei.server.persistence.Db;
import io.hodei.server.plugins.ManagedProvider;
import io.hodei.server.plugins.PluginHost;
import io.hodei.server.security.Roles;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Provider instances: named configurations of the provider types that plugins offer. */
@Path("/api/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class ProvidersResource {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final Db db;
  private final ProviderInstances providers;
  private final PluginHost plugins;
  private final ObjectMapper json;
  private final Clock clock;

  public ProvidersResource(
      Db db, ProviderInstances providers, PluginHost plugins, ObjectMapper json, Clock clock) {
    this.db = db;
    this.providers = providers;
    this.plugins = plugins;
    this.json = json;
    this.clock = clock;
  }

  /** The body of a new instance. */
  public record ProviderRequest(String name, String type, Map<String, String> config) {}

  /**
   * An instance as the API shows it. The configuration's keys are shown, not its values: they may
   * name credentials.
   */
  public record ProviderView(
      String name,
      String type,
      List<String> configKeys,
      boolean open,
      ProviderHealth health,
      String problem,
      Integer maxWorkers,
      Long maxCpuMillis,
      Long maxMemoryMib) {}

  @GET
  public Uni<List<ProviderView>> list() {
    return db.tx(
            session ->
                session
                    .createSelectionQuery(
                        "from ProviderInstanceEntity order by name", ProviderInstanceEntity.class)
                    .getResultList())
        .map(list -> list.stream().map(this::view).toList());
  }

  /** One instance, where {@code POST}'s {@code Location} points. */
  @GET
  @Path("{name}")
  public Uni<ProviderView> get(@PathParam("name") String name) {
    return db.tx(session -> session.find(ProviderInstanceEntity.class, name))
        .map(
            entity -> {
              if (entity == null) {
                throw ApiException.notFound("no provider instance named " + Echo.of(name));
              }
              return view(entity);
            });
  }

  @POST
  public Uni<Response> create(ProviderRequest request) {
    List<FieldProblem> problems = new ArrayList<>();
    if (request == null) {
      throw ApiException.badRequest("a provider instance is required in the body", problems);
    }
    if (request.name() == null || !NAME.matcher(request.name()).matches()) {
      problems.add(
          new FieldProblem("name", "is required: lower-case letters, digits and '-', up to 63"));
    }
    if (request.type() == null || !plugins.providerTypes().contains(request.type())) {
      problems.add(
          new FieldProblem(
              "type",
              "must be a provider type offered by a loaded plugin; loaded: "
                  + new java.util.TreeSet<>(plugins.providerTypes())));
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest("the provider instance is invalid", problems);
    }
    Instant now = clock.instant();
    ProviderInstanceEntity entity = new ProviderInstanceEntity();
    entity.name = request.name();
    entity.type = request.type();
    entity.config = toJson(request.config() == null ? Map.of() : request.config());
    entity.createdAt = now;
    entity.updatedAt = now;
    if (!providers.beginCreation(entity.name)) {
      throw alreadyExists(entity.name);
    }
    return db.tx(session -> session.find(ProviderInstanceEntity.class, entity.name))
        // Opening initializes the provider, which may block: never on the event loop.
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            existing -> {
              // A stored or open instance of this name is never touched: opening another one
              // would replace what it holds.
              if (existing != null || providers.get(entity.name).isPresent()) {
                throw alreadyExists(entity.name);
              }
              try {
                // Initialize before storing: a configuration the provider refuses is never saved.
                return providers.openUnregistered(entity);
              } catch (ProviderException e) {
                throw ApiException.badRequest(
                    "the provider refused this configuration",
                    List.of(new FieldProblem("config", e.getMessage())));
              }
            })
        .chain(candidate -> store(entity, candidate))
        .onTermination()
        .invoke(() -> providers.endCreation(entity.name))
        .map(
            ignored ->
                Response.created(URI.create("/api/v1/providers/" + entity.name))
                    .entity(view(entity))
                    .build());
  }

  /**
   * Stores the definition and registers its provider, or closes the provider when it cannot be
   * stored. The database decides between identical requests: one inserts, the other is told 409.
   */
  private Uni<Void> store(ProviderInstanceEntity entity, ManagedProvider candidate) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "insert into provider_instances (name, type, config, created_at,"
                            + " updated_at) values (:name, :type, :config,"
                            + " cast(:createdAt as timestamptz), cast(:updatedAt as timestamptz))"
                            + " on conflict (name) do nothing")
                    .setParameter("name", entity.name)
                    .setParameter("type", entity.type)
                    .setParameter("config", entity.config)
                    .setParameter("createdAt", entity.createdAt)
                    .setParameter("updatedAt", entity.updatedAt)
                    .executeUpdate())
        .invoke(
            inserted -> {
              if (inserted == 0) {
                throw alreadyExists(entity.name);
              }
              providers.register(entity, candidate);
            })
        .onFailure()
        .invoke(() -> providers.discard(entity.name, candidate))
        .replaceWithVoid();
  }

  private static ApiException alreadyExists(String name) {
    return ApiException.conflict("provider instance " + name + " already exists");
  }

  private ProviderView view(ProviderInstanceEntity entity) {
    return new ProviderView(
        entity.name,
        entity.type,
        List.copyOf(new TreeMap<>(providers.readConfig(entity)).keySet()),
        providers.get(entity.name).isPresent(),
        providers.health(entity.name).orElse(null),
        providers.problem(entity.name).orElse(null),
        entity.maxWorkers,
        entity.maxCpuMillis,
        entity.maxMemoryMib);
  }

  /**
   * Changes an instance's limits, shared by all its pools: {@code maxWorkers}, {@code
   * maxCpuMillis}, {@code maxMemoryMib}. A field left out is unchanged; JSON null removes the cap.
   */
  @PATCH
  @Path("{name}")
  public Uni<ProviderView> patch(@PathParam("name") String name, ObjectNode body) {
    if (body == null) {
      throw ApiException.badRequest("the changes are required in the body", List.of());
    }
    List<FieldProblem> problems = new ArrayList<>();
    List<java.util.function.Consumer<ProviderInstanceEntity>> changes = new ArrayList<>();
    body.fields()
        .forEachRemaining(
            field -> {
              String key = field.getKey();
              JsonNode value = field.getValue();
              long min = "maxWorkers".equals(key) ? 1 : 0;
              boolean valid =
                  value.isNull()
                      || (value.isIntegralNumber()
                          && value.canConvertToLong()
                          && value.longValue() >= min
                          && (!"maxWorkers".equals(key) || value.canConvertToInt()));
              Long cap = value.isNull() ? null : value.longValue();
              switch (key) {
                case "maxWorkers" ->
                    changes.add(e -> e.maxWorkers = cap == null ? null : cap.intValue());
                case "maxCpuMillis" -> changes.add(e -> e.maxCpuMillis = cap);
                case "maxMemoryMib" -> changes.add(e -> e.maxMemoryMib = cap);
                default -> {
                  problems.add(
                      new FieldProblem(
                          key, "cannot be changed; use maxWorkers, maxCpuMillis or maxMemoryMib"));
                  return;
                }
              }
              if (!valid) {
                problems.add(
                    new FieldProblem(
                        key, "must be a whole number of at least " + min + ", or null for no cap"));
              }
            });
    if (!problems.isEmpty()) {
      throw ApiException.badRequest("the provider instance changes are invalid", problems);
    }
    return db.tx(
            session ->
                session
                    .find(ProviderInstanceEntity.class, name, LockModeType.PESSIMISTIC_WRITE)
                    .map(
                        entity -> {
                          if (entity == null) {
                            throw ApiException.notFound("no provider instance named " + name);
                          }
                          changes.forEach(change -> change.accept(entity));
                          entity.updatedAt = clock.instant();
                          return entity;
                        }))
        .map(this::view);
  }

  /** Deletes an instance; refused with 409 while a pool or a live worker uses it. */
  @DELETE
  @Path("{name}")
  public Uni<Response> delete(@PathParam("name") String name) {
    return db.tx(
            session ->
                session
                    .find(ProviderInstanceEntity.class, name, LockModeType.PESSIMISTIC_WRITE)
                    .chain(
                        entity -> {
                          if (entity == null) {
                            throw ApiException.notFound("no provider instance named " + name);
                          }
                          return session
                              .createSelectionQuery(
                                  "select name from PoolEntity where providerInstance = :name"
                                      + " order by name",
                                  String.class)
                              .setParameter("name", name)
                              .getResultList()
                              .chain(
                                  pools -> {
                                    if (!pools.isEmpty()) {
                                      throw ApiException.conflict(
                                          "provider instance "
                                              + name
                                              + " is used by pool(s) "
                                              + String.join(", ", pools)
                                              + "; delete them first");
                                    }
                                    return session
                                        .createSelectionQuery(
                                            "select count(*) from WorkerEntity where"
                                                + " providerInstance = :name and releasedAt is"
                                                + " null",
                                            Long.class)
                                        .setParameter("name", name)
                                        .getSingleResult();
                                  })
                              .chain(
                                  live -> {
                                    if (live > 0) {
                                      throw ApiException.conflict(
                                          "provider instance "
                                              + name
                                              + " still has "
                                              + live
                                              + " live worker(s)");
                                    }
                                    return session.remove(entity);
                                  });
                        }))
        .invoke(() -> providers.close(name))
        .map(ignored -> Response.noContent().build());
  }

  private String toJson(Map<String, String> config) {
    try {
      return json.writeValueAsString(new TreeMap<>(config));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
