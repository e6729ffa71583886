package io.hodei.server.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hodei.core.FieldProblem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refusals and unreadable bodies into 4xx answers that say what to fix. */
public class ApiExceptionMappers {

  @ServerExceptionMapper
  public Response refused(ApiException e) {
    return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.body()).build();
  }

  /** Quarkus wraps syntax errors in the body; unwrap them, and leave every other case alone. */
  @ServerExceptionMapper(priority = Priorities.USER - 100)
  public Response wrapped(WebApplicationException e) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return unreadable(json);
    }
    return e.getResponse();
  }

  // Registered for the exact types, ahead of Quarkus' own mappers, which answer with an empty body.
  @ServerExceptionMapper(
      value = {
        JsonProcessingException.class,
        JsonParseException.class,
        JsonMappingException.class,
        MismatchedInputException.class,
        InvalidFormatException.class,
        UnrecognizedPropertyException.class
      },
      priority = Priorities.USER - 100)
  public Response unreadable(JsonProcessingException e) {
    String field = "body";
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      field =
          mapping.getPath().stream()
              .map(
                  ref ->
                      ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
    }
    String message = e.getOriginalMessage();
    int detail = message == null ? -1 : message.indexOf(" (");
    String cleaned = detail > 0 ? message.substring(0, detail) : String.valueOf(message);
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(
            new ApiError(
                "the request body is not valid JSON for this endpoint",
                List.of(new FieldProblem(field, cleaned))))
        .build();
  }
}
