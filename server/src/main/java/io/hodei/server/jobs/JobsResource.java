package io.hodei.server.jobs;

import io.hodei.core.FieldProblem;
import io.hodei.core.jobs.JobState;
import io.hodei.server.api.ApiException;
import io.hodei.server.api.Caller;
import io.hodei.server.api.Echo;
import io.hodei.server.api.QueryParameters;
import io.hodei.server.governance.Planner;
import io.hodei.server.security.Roles;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Jobs: submit, list, inspect, cancel, read and follow logs. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.USER)
public class JobsResource {

  static final int MAX_LIMIT = 500;

  private final Jobs jobs;
  private final JobLogs logs;
  private final Caller caller;
  private final Planner planner;

  public JobsResource(Jobs jobs, JobLogs logs, Caller caller, Planner planner) {
    this.jobs = jobs;
    this.logs = logs;
    this.caller = caller;
    this.planner = planner;
  }

  /** A page of jobs. */
  public record JobPage(List<JobView> items, int limit, int offset) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> submit(JobRequest request) {
    if (request == null) {
      throw ApiException.badRequest("a job spec is required in the body", List.of());
    }
    JobRequest.Parsed parsed = request.parse();
    if (!parsed.problems().isEmpty()) {
      throw ApiException.badRequest("the job spec is invalid", parsed.problems());
    }
    return jobs.submit(caller.tenant(), parsed.spec())
        .map(job -> Response.created(URI.create("/api/v1/jobs/" + job.id())).entity(job).build());
  }

  /**
   * Where a job with this spec would run if submitted now, or why it would wait; stores nothing.
   */
  @POST
  @Path("plan")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Planner.PlanView> plan(JobRequest request) {
    if (request == null) {
      throw ApiException.badRequest("a job spec is required in the body", List.of());
    }
    JobRequest.Parsed parsed = request.parse();
    if (!parsed.problems().isEmpty()) {
      throw ApiException.badRequest("the job spec is invalid", parsed.problems());
    }
    return planner.plan(caller.tenant(), parsed.spec());
  }

  @GET
  public Uni<JobPage> list(
      @QueryParam("state") String state,
      @QueryParam("limit") String limitParameter,
      @QueryParam("offset") String offsetParameter) {
    int limit = QueryParameters.integer("limit", limitParameter, 50, 1, MAX_LIMIT);
    int offset = QueryParameters.integer("offset", offsetParameter, 0, 0, Integer.MAX_VALUE);
    return jobs.list(caller.tenant(), parseState(state), limit, offset)
        .map(items -> new JobPage(items, limit, offset));
  }

  @GET
  @Path("{id}")
  public Uni<JobView> get(@PathParam("id") String id) {
    return jobs.get(caller.tenant(), parseId(id));
  }

  @POST
  @Path("{id}/cancel")
  public Uni<Response> cancel(@PathParam("id") String id) {
    return jobs.cancel(caller.tenant(), parseId(id)).map(job -> Response.accepted(job).build());
  }

  /** The stored lines, in order, as JSON. */
  @GET
  @Path("{id}/logs")
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<List<JobLogs.LogLineView>> logs(@PathParam("id") String id) {
    UUID jobId = parseId(id);
    // Resolving the job first makes another tenant's job a 404, like a missing one.
    return jobs.get(caller.tenant(), jobId).chain(job -> logs.read(jobId, 0, 0, Integer.MAX_VALUE));
  }

  /**
   * The lines so far and then live ones, as server-sent events, until the job ends. Chosen by
   * {@code ?follow=true} (see {@link FollowLogsFilter}).
   */
  @GET
  @Path("{id}/logs")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  public Multi<JobLogs.LogLineView> followLogs(@PathParam("id") String id) {
    UUID jobId = parseId(id);
    return jobs.get(caller.tenant(), jobId).onItem().transformToMulti(job -> logs.follow(jobId));
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no job " + Echo.of(id));
    }
  }

  private static JobState parseState(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    try {
      return JobState.valueOf(state.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "the query parameter state is invalid",
          List.of(new FieldProblem("state", "must be one of " + List.of(JobState.values()))));
    }
  }
}
