package io.hodei.server.jobs;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Makes {@code ?follow=true} on a logs URL answer as server-sent events whatever the client's
 * {@code Accept} says (curl sends {@code *}{@code /*}), and plain JSON otherwise.
 */
public class FollowLogsFilter {

  @ServerRequestFilter(preMatching = true)
  public void chooseMediaType(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
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
}
