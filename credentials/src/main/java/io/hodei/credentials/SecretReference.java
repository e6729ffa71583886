package io.hodei.credentials;

import java.util.regex.Pattern;

/**
 * Names a secret without holding it: {@code <backend>:<path>}, e.g. {@code vault:kv/ci/aws-prod},
 * {@code aws-sm:prod/ecs-deployer}, {@code local:docker-registry}. Configurations hold these, never
 * values.
 *
 * @param backend the backend's scheme
 * @param path where the secret is within that backend
 */
public record SecretReference(String backend, String path) {

  private static final Pattern BACKEND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.@+=/-]{1,512}");

  public SecretReference {
    if (backend == null || !BACKEND.matcher(backend).matches()) {
      throw new IllegalArgumentException(
          "a secret reference starts with a backend name such as vault, aws-sm or local: "
              + backend);
    }
    if (path == null || !PATH.matcher(path).matches() || path.contains("..")) {
      throw new IllegalArgumentException(
          "the path of a secret reference is 1 to 512 letters, digits and _.@+=/- : " + path);
    }
  }

  /** Parses {@code backend:path}; the message of a failure says what a reference looks like. */
  public static SecretReference parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a secret reference; write backend:path, e.g. vault:kv/ci/aws-prod");
    }
    return new SecretReference(text.substring(0, colon), text.substring(colon + 1));
  }

  @Override
  public String toString() {
    return backend + ":" + path;
  }
}
