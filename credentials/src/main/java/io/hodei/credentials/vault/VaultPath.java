package io.hodei.credentials.vault;

import io.hodei.credentials.SecretReference;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code vault:} reference points. The rule: when the path starts with a configured KV v2
 * mount ({@code vault:kv/ci/aws-prod}) it is a KV secret, read from {@code <mount>/data/<rest>},
 * optionally pinned to a version with an {@code @<number>} suffix ({@code vault:kv/ci/aws-prod@3});
 * any other path is read as-is, which is how dynamic engines are addressed ({@code
 * vault:aws/creds/deployer}, {@code vault:database/creds/readonly}), and must come with a lease.
 *
 * @param path the logical path given to the driver, without version suffix
 * @param kv whether it is a KV v2 secret
 * @param version the pinned KV version, if any
 * @param mountDepth how many path segments the mount has
 */
record VaultPath(String path, boolean kv, Optional<Integer> version, int mountDepth) {

  private static final Pattern VERSIONED = Pattern.compile("(.+)@([1-9][0-9]{0,8})");

  static VaultPath of(SecretReference reference, Set<String> kvMounts) {
    String text = reference.path();
    if (text.startsWith("/") || text.endsWith("/") || text.contains("//")) {
      throw new IllegalArgumentException(
          "'"
              + reference
              + "' is not a Vault path; write vault:<mount>/<path>, e.g. vault:kv/ci/aws-prod");
    }
    String mount = kvMount(text, kvMounts);
    if (mount == null) {
      return new VaultPath(text, false, Optional.empty(), 1);
    }
    Matcher versioned = VERSIONED.matcher(text);
    String path = versioned.matches() ? versioned.group(1) : text;
    if (path.length() <= mount.length() + 1) {
      throw new IllegalArgumentException(
          "'"
              + reference
              + "' names the KV mount only; add the secret's path after "
              + mount
              + "/");
    }
    Optional<Integer> version =
        versioned.matches() ? Optional.of(Integer.parseInt(versioned.group(2))) : Optional.empty();
    return new VaultPath(path, true, version, mount.split("/").length);
  }

  private static String kvMount(String path, Set<String> kvMounts) {
    String best = null;
    for (String mount : kvMounts) {
      if (path.startsWith(mount + "/") && (best == null || mount.length() > best.length())) {
        best = mount;
      }
    }
    return best;
  }

  @Override
  public String toString() {
    return version.map(v -> path + "@" + v).orElse(path);
  }
}
