package io.hodei.server.credentials;

import io.hodei.server.api.Caller;
import io.hodei.server.api.QueryParameters;
import io.hodei.server.persistence.Db;
import io.hodei.server.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** The credential audit trail of the caller's tenant, newest first. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class AuditResource {

  private static final int MAX_LIMIT = 1000;

  private final Db db;
  private final Caller caller;

  public AuditResource(Db db, Caller caller) {
    this.db = db;
    this.caller = caller;
  }

  /** One audited access; never a value. */
  public record AuditView(
      Instant at,
      String action,
      String callerKind,
      String caller,
      String tenant,
      String reference,
      String leaseId,
      String jobId,
      String workerId,
      String outcome,
      String detail) {}

  /**
   * Entries of the caller's tenant. The installation's own tenant also sees what the broker did on
   * its own (scheduled refreshes), which belongs to no tenant.
   */
  @GET
  public Uni<List<AuditView>> list(
      @QueryParam("reference") String reference,
      @QueryParam("action") String action,
      @QueryParam("jobId") String jobId,
      @QueryParam("limit") String limitParameter) {
    int bounded = QueryParameters.integer("limit", limitParameter, 100, 1, MAX_LIMIT);
    String tenant = caller.tenant();
    boolean installation = Roles.DEFAULT_TENANT.equals(tenant);
    String hql =
        "from AuditEntryEntity where (tenant = :tenant"
            + (installation ? " or tenant is null)" : ")")
            + (reference == null ? "" : " and reference = :reference")
            + (action == null ? "" : " and action = :action")
            + (jobId == null ? "" : " and jobId = :jobId")
            + " order by id desc";
    return db.tx(
            session -> {
              var query =
                  session
                      .createSelectionQuery(hql, AuditEntryEntity.class)
                      .setParameter("tenant", tenant)
                      .setMaxResults(bounded);
              if (reference != null) {
                query.setParameter("reference", reference);
              }
              if (action != null) {
                query.setParameter("action", action.toUpperCase(java.util.Locale.ROOT));
              }
              if (jobId != null) {
                query.setParameter("jobId", jobId);
              }
              return query.getResultList();
            })
        .map(rows -> rows.stream().map(AuditResource::view).toList());
  }

  private static AuditView view(AuditEntryEntity row) {
    return new AuditView(
        row.at,
        row.action,
        row.callerKind,
        row.callerName,
        row.tenant,
        row.reference,
        row.leaseId,
        row.jobId,
        row.workerId,
        row.outcome,
        row.detail);
  }
}
