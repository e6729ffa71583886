package io.hodei.server.api;

import io.hodei.core.FieldProblem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
    String path;
    String query;
    Map<String, List<String>> parameters;
    try {
      // The decoded path as a whole: decoding it again per segment would read "%25" as an escape.
      path = request.getUriInfo().getPath();
      String rawQuery = request.getUriInfo().getRequestUri().getRawQuery();
      query = rawQuery == null ? "" : URLDecoder.decode(rawQuery, StandardCharsets.UTF_8);
      parameters = request.getUriInfo().getQueryParameters(true);
    } catch (IllegalArgumentException e) {
      return refused(
          "the path or query is not validly percent-encoded",
          new FieldProblem("path", "every % must start an escape such as %2F"));
    }
    if (holdsControl(path)) {
      return refused(
          "the path holds a control character; nothing in the API is named with one",
          new FieldProblem("path", "must not contain control characters (such as %00)"));
    }
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      if (holdsControl(parameter.getKey())
          || parameter.getValue().stream().anyMatch(ControlCharacters::holdsControl)) {
        return refused(
            "a query parameter holds a control character",
            new FieldProblem(
                Echo.of(parameter.getKey()), "must not contain control characters (such as %00)"));
      }
    }
    // A parameter without a name is not among the parameters, but is in the query all the same.
    if (holdsControl(query)) {
      return refused(
          "the query holds a control character",
          new FieldProblem("query", "must not contain control characters (such as %00)"));
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
