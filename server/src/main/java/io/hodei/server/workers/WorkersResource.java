package io.hodei.server.workers;

import io.hodei.core.workers.WorkerState;
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
import java.util.UUID;

/** The worker registry, for operators: what runs where, and why a worker ended. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class WorkersResource {

  private final Db db;

  public WorkersResource(Db db) {
    this.db = db;
  }

  /** One worker as the API shows it. */
  public record WorkerView(
      UUID id,
      String pool,
      String providerInstance,
      WorkerState state,
      String reason,
      String resourceId,
      UUID jobId,
      int jobsRun,
      Instant lastHeartbeat,
      Instant createdAt,
      boolean released) {

    static WorkerView of(WorkerEntity worker) {
      return new WorkerView(
          worker.id,
          worker.pool,
          worker.providerInstance,
          worker.state,
          worker.stateReason,
          worker.resourceId,
          worker.jobId,
          worker.jobsRun,
          worker.lastHeartbeat,
          worker.createdAt,
          worker.releasedAt != null);
    }
  }

  /** Live workers by default; {@code all=true} includes ended ones, newest first. */
  @GET
  public Uni<List<WorkerView>> list(
      @QueryParam("all") String allParameter, @QueryParam("limit") String limitParameter) {
    boolean all = QueryParameters.bool("all", allParameter, false);
    int limit = QueryParameters.integer("limit", limitParameter, 200, 1, 1000);
    String filter = all ? "" : " where state not in :ended";
    return db.tx(
        session -> {
          var query =
              session
                  .createSelectionQuery(
                      "from WorkerEntity" + filter + " order by createdAt desc", WorkerEntity.class)
                  .setMaxResults(limit);
          if (!all) {
            query.setParameter(
                "ended", List.of(WorkerState.TERMINATED, WorkerState.LOST, WorkerState.FAILED));
          }
          return query.getResultList().map(list -> list.stream().map(WorkerView::of).toList());
        });
  }
}
