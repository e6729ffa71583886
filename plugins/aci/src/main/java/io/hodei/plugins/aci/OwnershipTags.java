package io.hodei.plugins.aci;

import io.hodei.plugin.api.PluginApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Azure tags that mark what Hodei owns: the spec's {@code hodei.*} ownership labels under
 * dash-separated keys ({@code hodei.managed} becomes {@code hodei-managed}, and so on), other spec
 * labels copied when Azure accepts them as tags. Dashes, because Azure matches tag names without
 * regard to case and several Azure tools (cost exports, policy aliases) handle dots in tag names
 * poorly.
 */
final class OwnershipTags {

  static final String MANAGED = "hodei-managed";
  static final String INSTALLATION = "hodei-installation";
  static final String WORKER = "hodei-worker";
  static final String PROVIDER_INSTANCE = "hodei-provider-instance";

  /** Azure allows at most 50 tags per resource. */
  static final int MAX_TAGS = 50;

  private static final int MAX_NAME = 512;
  private static final int MAX_VALUE = 256;
  private static final Pattern FORBIDDEN_IN_NAME = Pattern.compile("[<>%&\\\\?/]");

  private static final Map<String, String> TRANSLATED =
      Map.of(
          PluginApi.LABEL_MANAGED, MANAGED,
          PluginApi.LABEL_INSTALLATION, INSTALLATION,
          PluginApi.LABEL_WORKER, WORKER,
          PluginApi.LABEL_PROVIDER_INSTANCE, PROVIDER_INSTANCE);

  private OwnershipTags() {}

  /** The tags of one worker's container group, sorted so that generated requests are stable. */
  static Map<String, String> forWorker(
      Map<String, String> specLabels, String installationId, String instanceName, String workerId) {
    Map<String, String> tags = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    tags.putAll(owner(installationId, instanceName));
    tags.put(WORKER, tagValue(workerId));
    new TreeMap<>(specLabels)
        .forEach(
            (key, value) -> {
              if (!TRANSLATED.containsKey(key)
                  && !tags.containsKey(key)
                  && tags.size() < MAX_TAGS
                  && isTagName(key)
                  && value.length() <= MAX_VALUE) {
                tags.put(key, value);
              }
            });
    return new TreeMap<>(tags);
  }

  /** The tags every container group of this installation's provider instance carries. */
  static Map<String, String> owner(String installationId, String instanceName) {
    Map<String, String> tags = new TreeMap<>();
    tags.put(MANAGED, "true");
    tags.put(INSTALLATION, tagValue(installationId));
    tags.put(PROVIDER_INSTANCE, tagValue(instanceName));
    return tags;
  }

  /** Whether a container group's tags hold every owner tag, compared as Azure does. */
  static boolean ownedBy(Map<String, String> groupTags, Map<String, String> owner) {
    if (groupTags == null) {
      return false;
    }
    Map<String, String> tags = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    tags.putAll(groupTags);
    return owner.entrySet().stream().allMatch(e -> e.getValue().equals(tags.get(e.getKey())));
  }

  /** The worker id a container group's tags name, if any. */
  static Optional<String> workerId(Map<String, String> groupTags) {
    if (groupTags == null) {
      return Optional.empty();
    }
    return groupTags.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(WORKER))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The spec's {@code hodei.*} labels as read back from a container group's tags. */
  static Map<String, String> asSpecLabels(Map<String, String> groupTags) {
    Map<String, String> labels = new TreeMap<>(groupTags);
    TRANSLATED.forEach(
        (label, tag) -> {
          String value = groupTags.get(tag);
          if (value != null) {
            labels.put(label, value);
          }
        });
    return labels;
  }

  /**
   * {@code text} if it fits a tag value, otherwise a readable prefix plus a hash, so that distinct
   * ids stay distinct.
   */
  static String tagValue(String text) {
    if (text.length() <= MAX_VALUE) {
      return text;
    }
    return text.substring(0, MAX_VALUE - 9) + "-" + hash(text);
  }

  /**
   * A container group name for a worker: lower case letters, digits and single dashes, at most 63
   * characters, starting and ending with a letter or digit; a hash suffix keeps distinct worker ids
   * distinct when characters had to be changed or cut.
   */
  static String groupName(String prefix, String workerId) {
    String raw = prefix + workerId;
    String cleaned =
        raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-{2,}", "-");
    if (cleaned.equals(raw) && cleaned.length() <= 63 && cleaned.matches("[a-z0-9].*[a-z0-9]")) {
      return cleaned;
    }
    String suffix = "-" + hash(workerId);
    String head = cleaned.substring(0, Math.min(cleaned.length(), 63 - suffix.length()));
    return (head.replaceAll("^-+", "").replaceAll("-+$", "") + suffix).replaceAll("^-+", "");
  }

  private static boolean isTagName(String key) {
    return !key.isBlank()
        && key.length() <= MAX_NAME
        && !FORBIDDEN_IN_NAME.matcher(key).find()
        // Azure reserves these prefixes for its own tags.
        && !key.toLowerCase(Locale.ROOT).startsWith("microsoft")
        && !key.toLowerCase(Locale.ROOT).startsWith("azure")
        && !key.toLowerCase(Locale.ROOT).startsWith("windows");
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
