package io.hodei.server.jobs;

import io.hodei.server.api.ApiException;
import io.hodei.server.api.Caller;
import io.hodei.server.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Makes {@code ?follow=true} on a logs URL answer as server-sent events whatever the client's
 * {@code Accept} says (curl sends {@code *}{@code /*}), and plain JSON otherwise; and answers a
 * stream of a job the caller cannot see with the 404 of a missing one. An event stream commits its
 * 200 before the first event, so the job is looked up here, before the stream starts.
 */
public class FollowLogsFilter {

  private final Jobs jobs;
  private final Caller caller;

  public FollowLogsFilter(Jobs jobs, Caller caller) {
    this.jobs = jobs;
    this.caller = caller;
  }

  @ServerRequestFilter(preMatching = true)
  public void chooseMediaType(ContainerRequestContext request) {
    // The router matches with or without a trailing slash, so both must choose alike.
    String path = request.getUriInfo().getPath().replaceAll("/+$", "");
    if (!path.startsWith("/api/v1/jobs/") || !path.endsWith("/logs")) {
      return;
    }
    boolean follow =
        "true".equalsIgnoreCase(request.getUriInfo().getQueryParameters().getFirst("follow"));
    request
        .getHeaders()
        .putSingle(
            HttpHeaders.ACCEPT, follow ? MediaType.SERVER_SENT_EVENTS : MediaType.APPLICATION_JSON);
  }

  /** Runs after authorization; a {@code null} answer lets the stream start. */
  @ServerRequestFilter
  public Uni<Response> requireVisibleJob(ResourceInfo resource, ContainerRequestContext request) {
    // Without the role the endpoint's own check answers 401 or 403, whether the job exists or not.
    if (resource.getResourceClass() != JobsResource.class
        || !streams(resource)
        || !caller.hasRole(Roles.USER)) {
      return Uni.createFrom().nullItem();
    }
    String id = request.getUriInfo().getPathParameters().getFirst("id");
    UUID jobId;
    try {
      jobId = UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      return Uni.createFrom().item(refusal(ApiException.notFound("no job " + id)));
    }
    return jobs.get(caller.tenant(), jobId)
        .replaceWith((Response) null)
        .onFailure(ApiException.class)
        .recoverWithItem(e -> refusal((ApiException) e));
  }

  private static boolean streams(ResourceInfo resource) {
    Produces produces = resource.getResourceMethod().getAnnotation(Produces.class);
    return produces != null
        && Arrays.asList(produces.value()).contains(MediaType.SERVER_SENT_EVENTS);
  }

  private static Response refusal(ApiException e) {
    return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.body()).build();
  }
}
