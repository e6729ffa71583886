package io.hodei.plugins.cloudrun;

import io.hodei.plugin.api.PluginApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The labels that mark what Hodei owns in a Cloud Run region. Cloud Run label keys and values allow
 * only lower-case letters, digits, {@code _} and {@code -} (keys start with a letter, both at most
 * 63 characters), so the spec's dotted {@code hodei.*} keys become {@code hodei-*} keys, and a
 * value Cloud Run would refuse becomes a readable prefix plus a hash.
 *
 * <p>Cloud Run copies a job's execution-template labels onto each execution, but cannot label one
 * execution differently from its siblings; the worker id therefore travels in the execution's
 * environment ({@code HODEI_WORKER_ID}), which the API returns with the execution.
 */
final class OwnershipLabels {

  static final String MANAGED = "hodei-managed";
  static final String INSTALLATION = "hodei-installation";
  static final String PROVIDER_INSTANCE = "hodei-provider-instance";

  /** Hash of the job's content, so that an operator sees which jobs are interchangeable. */
  static final String TEMPLATE = "hodei-template";

  private static final Pattern VALUE = Pattern.compile("[a-z0-9_-]{0,63}");

  private OwnershipLabels() {}

  /** The labels on every job (and so every execution) of one installation's provider instance. */
  static Map<String, String> owner(String installationId, String instanceName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, "true");
    labels.put(INSTALLATION, labelValue(installationId));
    labels.put(PROVIDER_INSTANCE, labelValue(instanceName));
    return labels;
  }

  /** Whether a job's labels say it belongs to the owner described by {@code owner}. */
  static boolean owns(Map<String, String> owner, Map<String, String> labels) {
    return owner.entrySet().stream()
        .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
  }

  /**
   * The spec's {@code hodei.*} labels as read back from Cloud Run labels and the worker id: the
   * reverse of {@link #owner} for values that were valid as they were.
   */
  static Map<String, String> asSpecLabels(Map<String, String> cloudRunLabels, String workerId) {
    Map<String, String> labels = new TreeMap<>();
    if ("true".equals(cloudRunLabels.get(MANAGED))) {
      labels.put(PluginApi.LABEL_MANAGED, "true");
    }
    if (cloudRunLabels.containsKey(INSTALLATION)) {
      labels.put(PluginApi.LABEL_INSTALLATION, cloudRunLabels.get(INSTALLATION));
    }
    if (cloudRunLabels.containsKey(PROVIDER_INSTANCE)) {
      labels.put(PluginApi.LABEL_PROVIDER_INSTANCE, cloudRunLabels.get(PROVIDER_INSTANCE));
    }
    if (workerId != null) {
      labels.put(PluginApi.LABEL_WORKER, workerId);
    }
    return labels;
  }

  /**
   * {@code text} if Cloud Run accepts it as a label value, otherwise a readable, lower-cased prefix
   * of it plus a hash, so that distinct ids stay distinct.
   */
  static String labelValue(String text) {
    if (VALUE.matcher(text).matches()) {
      return text;
    }
    String cleaned = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    cleaned = cleaned.substring(0, Math.min(cleaned.length(), 54));
    return cleaned + "-" + hash(text, 4);
  }

  /** The first {@code bytes} bytes of the text's SHA-256, in hex. */
  static String hash(String text, int bytes) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
