package io.hodei.core.jobs;

import io.hodei.core.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A secret a job asks for, by reference: the controller resolves it at dispatch and the worker
 * exposes it as an environment variable or as a file. Only this reference is ever stored; the value
 * lives in the run-job message and the worker's memory and secrets directory.
 *
 * @param reference the secret's reference, e.g. {@code local:tenants/acme/db}
 * @param field the secret's field to expose; empty for its single value
 * @param env the environment variable to expose it as, or empty
 * @param file the file to expose it as, relative to the job's secrets directory, or empty
 */
public record JobSecret(
    String reference, Optional<String> field, Optional<String> env, Optional<String> file) {

  /** The field a single-valued secret keeps its value in. */
  public static final String DEFAULT_FIELD = "value";

  static final int MAX_SECRETS = 50;

  // The same shape the credentials module accepts, checked here so that a bad spec is refused at
  // submission with a field name rather than at dispatch.
  private static final Pattern REFERENCE =
      Pattern.compile("[a-z][a-z0-9-]{0,31}:[A-Za-z0-9_.@+=/-]{1,512}");
  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern FILE_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final int MAX_FILE_LENGTH = 255;

  public JobSecret {
    field = field == null ? Optional.empty() : field;
    env = env == null ? Optional.empty() : env;
    file = file == null ? Optional.empty() : file;
  }

  /** Exposed as the environment variable {@code env}. */
  public static JobSecret asEnv(String reference, String env) {
    return new JobSecret(reference, Optional.empty(), Optional.of(env), Optional.empty());
  }

  /** Exposed as the file {@code file} in the job's secrets directory. */
  public static JobSecret asFile(String reference, String file) {
    return new JobSecret(reference, Optional.empty(), Optional.empty(), Optional.of(file));
  }

  /** The same secret, exposing the given field. */
  public JobSecret withField(String name) {
    return new JobSecret(reference, Optional.of(name), env, file);
  }

  /** The field to read: the one named, else {@link #DEFAULT_FIELD}. */
  public String fieldOrDefault() {
    return field.orElse(DEFAULT_FIELD);
  }

  /** What is wrong with this entry; {@code at} is its path in the spec, e.g. {@code secrets[0]}. */
  List<FieldProblem> problems(String at) {
    List<FieldProblem> problems = new ArrayList<>();
    if (reference == null || !REFERENCE.matcher(reference).matches() || reference.contains("..")) {
      problems.add(
          new FieldProblem(
              at + ".reference",
              "is required: a secret reference backend:path, e.g. local:tenants/acme/db"));
    }
    field.ifPresent(
        name -> {
          if (!FIELD.matcher(name).matches()) {
            problems.add(
                new FieldProblem(at + ".field", "is 1 to 128 letters, digits, '.', '_' or '-'"));
          }
        });
    if (env.isPresent() == file.isPresent()) {
      problems.add(
          new FieldProblem(at, "give exactly one of env (a variable name) or file (a file name)"));
    }
    env.ifPresent(
        name -> {
          if (!ENV.matcher(name).matches()) {
            problems.add(
                new FieldProblem(
                    at + ".env", "is not a valid variable name (letters, digits, '_')"));
          } else if (name.startsWith("HODEI_")) {
            problems.add(new FieldProblem(at + ".env", "HODEI_ variables are reserved"));
          }
        });
    file.ifPresent(
        path -> {
          if (!validFile(path)) {
            problems.add(
                new FieldProblem(
                    at + ".file",
                    "is a relative path inside the secrets directory: segments of letters,"
                        + " digits, '.', '_' and '-' separated by '/', without '..'"));
          }
        });
    return problems;
  }

  /** Whether {@code path} is a relative file path that cannot leave the secrets directory. */
  public static boolean validFile(String path) {
    if (path == null || path.isEmpty() || path.length() > MAX_FILE_LENGTH) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      // A segment starts with a letter, digit or '_', so '.', '..' and empty ones never match.
      if (!FILE_SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return true;
  }
}
