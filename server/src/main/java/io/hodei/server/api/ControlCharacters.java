package io.hodei.server.api;

import io.hodei.core.FieldProblem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before any resource runs, a path or query parameter holding a control character (NUL
 * included, which PostgreSQL cannot store): no name, id or filter of the API holds one. The answer
 * is a 400 naming {@code path} or the parameter, whatever the endpoint.
 */
public class ControlCharacters {

  @ServerRequestFilter(preMatching = true)
  public Response refuse(ContainerRequestContext request) {
    for (PathSegment segment : request.getUriInfo().getPathSegments(true)) {
      if (holdsControl(segment.getPath())) {
        return refused(
            "the path holds a control character; nothing in the API is named with one",
            new FieldProblem("path", "must not contain control characters (such as %00)"));
      }
    }
    for (Map.Entry<String, List<String>> parameter :
        request.getUriInfo().getQueryParameters(true).entrySet()) {
      if (holdsControl(parameter.getKey())
          || parameter.getValue().stream().anyMatch(ControlCharacters::holdsControl)) {
        return refused(
            "a query parameter holds a control character",
            new FieldProblem(
                Echo.of(parameter.getKey()), "must not contain control characters (such as %00)"));
      }
    }
    return null;
  }

  /** Whether the text holds a character of Unicode's control category (C0, DEL or C1). */
  public static boolean holdsControl(String text) {
    return text != null && text.chars().anyMatch(Character::isISOControl);
  }

  private static Response refused(String error, FieldProblem problem) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(error, List.of(problem)))
        .build();
  }
}
