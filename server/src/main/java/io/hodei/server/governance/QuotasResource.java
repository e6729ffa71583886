package io.hodei.server.governance;

import io.hodei.core.FieldProblem;
import io.hodei.credentials.tenants.TenantName;
import io.hodei.server.api.ApiException;
import io.hodei.server.api.Caller;
import io.hodei.server.controller.WakeUp;
import io.hodei.server.persistence.Db;
import io.hodei.server.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Tenant quotas: what a tenant may hold at once over all pools, and its fair-share weight. */
@Path("/api/v1/tenants/{tenant}/quota")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuotasResource {

  private final Db db;
  private final Caller caller;
  private final Event<WakeUp> wakeUp;
  private final Clock clock;

  public QuotasResource(Db db, Caller caller, Event<WakeUp> wakeUp, Clock clock) {
    this.db = db;
    this.caller = caller;
    this.wakeUp = wakeUp;
    this.clock = clock;
  }

  /** A tenant's quota as the API shows it; a null cap is not capped. */
  public record QuotaView(
      String tenant,
      Long cpuMillis,
      Long memoryMib,
      Long gpus,
      Long workers,
      Long jobs,
      double weight,
      List<QuotaSpec.LabelLimits> perLabel) {

    static QuotaView of(TenantQuotaEntity entity) {
      QuotaSpec spec = QuotaSpec.of(entity);
      return new QuotaView(
          entity.tenant,
          spec.cpuMillis(),
          spec.memoryMib(),
          spec.gpus(),
          spec.workers(),
          spec.jobs(),
          entity.weight,
          spec.perLabel());
    }
  }

  /** Operators read any tenant's quota; a user reads only its own tenant's. */
  @GET
  @RolesAllowed({Roles.USER, Roles.OPERATOR})
  public Uni<QuotaView> get(@PathParam("tenant") String tenant) {
    if (!caller.hasRole(Roles.OPERATOR) && !caller.tenant().equals(tenant)) {
      // Another tenant's quota is answered exactly like a missing one.
      throw ApiException.notFound("tenant '" + tenant + "' has no quota");
    }
    return db.tx(session -> session.find(TenantQuotaEntity.class, tenant))
        .map(
            entity -> {
              if (entity == null) {
                throw ApiException.notFound("tenant '" + tenant + "' has no quota");
              }
              return QuotaView.of(entity);
            });
  }

  /** Sets the tenant's quota, replacing any it had. */
  @PUT
  @RolesAllowed(Roles.OPERATOR)
  public Uni<QuotaView> put(@PathParam("tenant") String tenant, QuotaSpec request) {
    checkTenant(tenant);
    if (request == null) {
      throw ApiException.badRequest("a quota is required in the body", List.of());
    }
    List<FieldProblem> problems = request.problems();
    if (!problems.isEmpty()) {
      throw ApiException.badRequest("the quota is invalid", problems);
    }
    Instant now = clock.instant();
    return db.tx(
            session ->
                session
                    .find(TenantQuotaEntity.class, tenant)
                    .chain(
                        found -> {
                          TenantQuotaEntity entity =
                              found == null ? new TenantQuotaEntity() : found;
                          entity.tenant = tenant;
                          request.applyTo(entity);
                          entity.updatedAt = now;
                          if (found == null) {
                            entity.createdAt = now;
                            return session.persist(entity).replaceWith(entity);
                          }
                          return Uni.createFrom().item(entity);
                        }))
        .map(QuotaView::of)
        // A larger quota may let waiting jobs run now.
        .invoke(() -> wakeUp.fire(new WakeUp("quota changed")));
  }

  /** Removes the tenant's quota: it is no longer capped and has weight 1. */
  @DELETE
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> delete(@PathParam("tenant") String tenant) {
    return db.tx(
            session ->
                session
                    .find(TenantQuotaEntity.class, tenant)
                    .chain(
                        entity -> {
                          if (entity == null) {
                            throw ApiException.notFound("tenant '" + tenant + "' has no quota");
                          }
                          return session.remove(entity);
                        }))
        .invoke(() -> wakeUp.fire(new WakeUp("quota removed")))
        .map(ignored -> Response.noContent().build());
  }

  private static void checkTenant(String tenant) {
    if (!TenantName.isValid(tenant)) {
      throw ApiException.badRequest(
          "the tenant name is invalid",
          List.of(new FieldProblem("tenant", "must be a tenant name: " + TenantName.RULE)));
    }
  }
}
