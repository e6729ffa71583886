package io.hodei.server.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hodei.core.FieldProblem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refusals and unreadable bodies into 4xx answers that say what to fix. */
public class ApiExceptionMappers {

  static final String UNREADABLE = "the request body is not valid JSON for this endpoint";
  private static final int MAX_DETAIL = 200;

  @ServerExceptionMapper
  public Response refused(ApiException e) {
    return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.body()).build();
  }

  /**
   * Quarkus wraps syntax errors in the body; unwrap them. Its own 4xx answers (no such path, wrong
   * method or media type) come without a body; give them the API's error body.
   */
  @ServerExceptionMapper(priority = Priorities.USER - 100)
  public Response wrapped(WebApplicationException e) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return unreadable(json);
    }
    Response response = e.getResponse();
    int status = response.getStatus();
    if (status >= 400 && status < 500 && !response.hasEntity()) {
      return Response.fromResponse(response)
          .type(MediaType.APPLICATION_JSON)
          .entity(ApiError.of(describe(status)))
          .build();
    }
    return response;
  }

  // Registered for the exact types, ahead of Quarkus' own mappers, which answer with an empty body.
  @ServerExceptionMapper(
      value = {
        JsonProcessingException.class,
        JsonParseException.class,
        JsonMappingException.class,
        MismatchedInputException.class,
        InvalidFormatException.class,
        InvalidNullException.class,
        UnrecognizedPropertyException.class,
        InputCoercionException.class,
        StreamReadException.class
      },
      priority = Priorities.USER - 100)
  public Response unreadable(JsonProcessingException e) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(UNREADABLE, List.of(new FieldProblem(field(e), message(e)))))
        .build();
  }

  /** Where in the body the problem is, as {@code retry.maxAttempts} or {@code steps[1].name}. */
  static String field(JsonProcessingException e) {
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return mapping.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."))
          .replace(".[", "[");
    }
    // Errors of the parser itself (a number out of range, a syntax error) know where it stood.
    if (e instanceof StreamReadException read && read.getProcessor() != null) {
      Deque<String> parts = new ArrayDeque<>();
      for (JsonStreamContext at = read.getProcessor().getParsingContext();
          at != null;
          at = at.getParent()) {
        if (at.inObject() && at.getCurrentName() != null) {
          parts.push("." + at.getCurrentName());
        } else if (at.inArray() && at.getCurrentIndex() >= 0) {
          parts.push("[" + at.getCurrentIndex() + "]");
        }
      }
      String path = String.join("", parts);
      if (!path.isEmpty()) {
        return path.startsWith(".") ? path.substring(1) : path;
      }
    }
    return "body";
  }

  /** What is wrong, without repeating more than a short prefix of the caller's input. */
  static String message(JsonProcessingException e) {
    String original = String.valueOf(e.getOriginalMessage());
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "is not a field here; the fields are " + known(unknown.getKnownPropertyIds());
    }
    if (e instanceof InvalidNullException) {
      return "must not be null: give a value or leave the entry out";
    }
    if (e instanceof MismatchedInputException mismatch) {
      if (original.contains("FAIL_ON_TRAILING_TOKENS")) {
        return "has more after the JSON value: send exactly one JSON value";
      }
      if (original.contains(StorableStringDeserializer.NUL_MESSAGE)
          || original.contains(StorableStringDeserializer.SURROGATE_MESSAGE)) {
        return original;
      }
      return "expected " + kind(mismatch.getTargetType());
    }
    if (e instanceof InputCoercionException coercion) {
      return "is out of range for " + kind(coercion.getTargetType());
    }
    if (e instanceof JsonParseException && original.startsWith("Duplicate field")) {
      return "is given more than once";
    }
    return Echo.cut(original, MAX_DETAIL);
  }

  private static String known(Collection<Object> ids) {
    if (ids == null || ids.isEmpty()) {
      return "none";
    }
    return new TreeSet<>(ids.stream().map(String::valueOf).toList()).toString();
  }

  private static String kind(Class<?> type) {
    if (type == null) {
      return "another JSON type";
    }
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object of string values";
    }
    return "an object";
  }

  private static String describe(int status) {
    return switch (status) {
      case 404 -> "nothing is found at this path";
      case 405 -> "this method is not allowed on this path";
      case 406 -> "this path answers application/json only";
      case 415 -> "send the body as application/json";
      default ->
          Response.Status.fromStatusCode(status) == null
              ? "the request is refused"
              : Response.Status.fromStatusCode(status).getReasonPhrase();
    };
  }
}
