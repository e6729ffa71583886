package io.hodei.server.api;

import io.hodei.core.FieldProblem;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** A request the API refuses, with the status and the body to answer. */
public class ApiException extends RuntimeException {

  private final Response.Status status;
  private final List<FieldProblem> problems;

  public ApiException(Response.Status status, String message, List<FieldProblem> problems) {
    super(message);
    this.status = status;
    this.problems = List.copyOf(problems);
  }

  public static ApiException badRequest(String message, List<FieldProblem> problems) {
    return new ApiException(Response.Status.BAD_REQUEST, message, problems);
  }

  public static ApiException notFound(String message) {
    return new ApiException(Response.Status.NOT_FOUND, message, List.of());
  }

  public static ApiException conflict(String message) {
    return new ApiException(Response.Status.CONFLICT, message, List.of());
  }

  public Response.Status status() {
    return status;
  }

  public ApiError body() {
    return new ApiError(getMessage(), problems);
  }
}
