package io.hodei.plugins.ecs;

import io.hodei.plugin.api.PluginApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The tags that mark what Hodei owns in an AWS account. ECS tag keys allow {@code :}, so the spec's
 * {@code hodei.*} ownership labels become {@code hodei:*} keys (the AWS convention for a namespace,
 * as in {@code aws:cloudformation:stack-name}); other spec labels are copied when ECS accepts them.
 */
final class OwnershipTags {

  static final String MANAGED = "hodei:managed";
  static final String INSTALLATION = "hodei:installation";
  static final String WORKER = "hodei:worker";
  static final String PROVIDER_INSTANCE = "hodei:provider-instance";

  /** On task definitions: the hash of what they hold, to find one to reuse. */
  static final String CONTENT_HASH = "hodei:content-hash";

  /** ECS allows 50 tags per resource; keep room for ECS-managed ones. */
  private static final int MAX_TAGS = 40;

  /** Letters, digits, spaces and {@code + - = . _ : / @}; keys never start with {@code aws:}. */
  private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  private static final Map<String, String> TRANSLATED =
      Map.of(
          PluginApi.LABEL_MANAGED, MANAGED,
          PluginApi.LABEL_INSTALLATION, INSTALLATION,
          PluginApi.LABEL_WORKER, WORKER,
          PluginApi.LABEL_PROVIDER_INSTANCE, PROVIDER_INSTANCE);

  private OwnershipTags() {}

  /** The tags of one worker's task, sorted so requests are stable. */
  static List<Tag> forWorker(
      Map<String, String> specLabels, String installationId, String instanceName, String workerId) {
    Map<String, String> tags = new TreeMap<>();
    specLabels.forEach(
        (key, value) -> {
          if (!TRANSLATED.containsKey(key) && acceptable(key, value)) {
            tags.put(key, value);
          }
        });
    while (tags.size() > MAX_TAGS - 5) {
      tags.remove(((TreeMap<String, String>) tags).lastKey());
    }
    tags.putAll(owner(installationId, instanceName));
    tags.put(WORKER, workerId);
    return toTags(tags);
  }

  /** The tags everything of this installation's provider instance carries. */
  static Map<String, String> owner(String installationId, String instanceName) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(MANAGED, "true");
    tags.put(INSTALLATION, installationId);
    tags.put(PROVIDER_INSTANCE, instanceName);
    return tags;
  }

  /** Whether a resource's tags mark it as this installation's provider instance's. */
  static boolean ownedBy(List<Tag> tags, String installationId, String instanceName) {
    Map<String, String> map = asMap(tags);
    return owner(installationId, instanceName).entrySet().stream()
        .allMatch(e -> e.getValue().equals(map.get(e.getKey())));
  }

  static Map<String, String> asMap(List<Tag> tags) {
    Map<String, String> map = new TreeMap<>();
    if (tags != null) {
      tags.forEach(tag -> map.put(tag.key(), tag.value()));
    }
    return map;
  }

  /** The spec's labels as read back from ECS tags: the reverse of {@link #forWorker}. */
  static Map<String, String> asSpecLabels(Map<String, String> tags) {
    Map<String, String> labels = new TreeMap<>(tags);
    TRANSLATED.forEach(
        (specKey, tagKey) -> {
          String value = tags.get(tagKey);
          if (value != null) {
            labels.put(specKey, value);
          }
        });
    return labels;
  }

  static List<Tag> toTags(Map<String, String> tags) {
    List<Tag> list = new ArrayList<>();
    new TreeMap<>(tags).forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
    return list;
  }

  /**
   * A value for RunTask's {@code startedBy} (at most 36 letters, digits, hyphens and underscores)
   * naming this installation's provider instance, so that ListTasks can narrow by it before the
   * tags decide.
   */
  static String startedBy(String installationId, String instanceName) {
    return "hodei-" + hash(installationId + "/" + instanceName, 8);
  }

  /** A short hex SHA-256 prefix of {@code text}, {@code bytes} bytes long. */
  static String hash(String text, int bytes) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static boolean acceptable(String key, String value) {
    return !key.isEmpty()
        && key.length() <= 128
        && value.length() <= 256
        && !key.regionMatches(true, 0, "aws:", 0, 4)
        && TAG_TEXT.matcher(key).matches()
        && TAG_TEXT.matcher(value).matches();
  }
}
