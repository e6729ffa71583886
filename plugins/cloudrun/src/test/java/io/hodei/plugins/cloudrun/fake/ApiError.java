package io.hodei.plugins.cloudrun.fake;

import com.google.gson.JsonObject;

/**
 * A Google API error as the REST surface answers it: the HTTP status and a {@code
 * google.rpc.Status} body, {@code {"error": {"code": 404, "message": "...", "status":
 * "NOT_FOUND"}}}.
 */
public final class ApiError extends RuntimeException {

  private final int httpStatus;
  private final String status;

  public ApiError(int httpStatus, String status, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.status = status;
  }

  static ApiError notFound(String what) {
    return new ApiError(404, "NOT_FOUND", "Resource '" + what + "' was not found");
  }

  static ApiError invalid(String message) {
    return new ApiError(400, "INVALID_ARGUMENT", message);
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String status() {
    return status;
  }

  String body() {
    JsonObject error = new JsonObject();
    error.addProperty("code", httpStatus);
    error.addProperty("message", getMessage());
    error.addProperty("status", status);
    JsonObject body = new JsonObject();
    body.add("error", error);
    return body.toString();
  }
}
