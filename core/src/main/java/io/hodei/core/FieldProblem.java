package io.hodei.core;

/**
 * Something wrong with one field of a request, said so that the caller can fix it.
 *
 * @param field the field's path, e.g. {@code steps[1].command}
 * @param message what is wrong and what is expected
 */
public record FieldProblem(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
