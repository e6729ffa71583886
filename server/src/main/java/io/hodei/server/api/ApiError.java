package io.hodei.server.api;

import io.hodei.core.FieldProblem;
import java.util.List;

/**
 * The body of every 4xx answer: what went wrong, and per field what to fix.
 *
 * @param error a sentence for people
 * @param problems the fields at fault; empty when the error is not about fields
 */
public record ApiError(String error, List<FieldProblem> problems) {

  public static ApiError of(String error) {
    return new ApiError(error, List.of());
  }
}
