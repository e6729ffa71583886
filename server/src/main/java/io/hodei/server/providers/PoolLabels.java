package io.hodei.server.providers;

import io.hodei.core.FieldProblem;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What a pool label may look like: the same keys as job labels, short values. */
final class PoolLabels {

  static final String RULE =
      "keys are lower-case letters, digits, '.', '_', '/' and '-'; values 1 to 63 characters";

  private static final Pattern KEY = Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?");

  private PoolLabels() {}

  static boolean validKey(String key) {
    return key != null && KEY.matcher(key).matches();
  }

  static boolean validValue(String value) {
    return value != null && !value.isEmpty() && value.length() <= 63;
  }

  /** The problems of a set of labels, named {@code field.key}. */
  static void check(String field, Map<String, String> labels, List<FieldProblem> problems) {
    if (labels == null) {
      return;
    }
    labels.forEach(
        (key, value) -> {
          if (!validKey(key) || !validValue(value)) {
            problems.add(new FieldProblem(field + "." + key, RULE));
          }
        });
  }
}
