package io.hodei.server.api;

import io.hodei.core.FieldProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of every 4xx answer: what went wrong, and per field what to fix. Whatever built it, the
 * body stays small: long texts are cut and at most {@value #MAX_PROBLEMS} problems are listed.
 *
 * @param error a sentence for people
 * @param problems the fields at fault; empty when the error is not about fields
 */
public record ApiError(String error, List<FieldProblem> problems) {

  static final int MAX_PROBLEMS = 50;
  private static final int MAX_FIELD = 128;
  private static final int MAX_MESSAGE = 512;

  public ApiError {
    error = Echo.cut(error, MAX_MESSAGE);
    List<FieldProblem> bounded = new ArrayList<>();
    for (FieldProblem problem : problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS))) {
      bounded.add(
          new FieldProblem(
              Echo.cut(problem.field(), MAX_FIELD), Echo.cut(problem.message(), MAX_MESSAGE)));
    }
    if (problems.size() > MAX_PROBLEMS) {
      bounded.add(
          new FieldProblem(
              "body", (problems.size() - MAX_PROBLEMS) + " more problems not listed; fix these"));
    }
    problems = List.copyOf(bounded);
  }

  public static ApiError of(String error) {
    return new ApiError(error, List.of());
  }
}
