package io.hodei.plugins.kubernetes;

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
 * The labels that mark what Hodei owns on a cluster, in Kubernetes' conventions: the spec's {@code
 * hodei.*} ownership labels become {@code app.kubernetes.io/managed-by=hodei} and {@code
 * hodei.io/*} keys; other spec labels are copied when Kubernetes accepts them.
 */
final class OwnershipLabels {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String MANAGED_BY_VALUE = "hodei";
  static final String INSTALLATION = "hodei.io/installation";
  static final String WORKER = "hodei.io/worker";
  static final String PROVIDER_INSTANCE = "hodei.io/provider-instance";
  static final String KIND = "hodei.io/kind";

  /** Annotation holding the exact worker id, which a label value may only approximate. */
  static final String WORKER_ID = "hodei.io/worker-id";

  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private static final Map<String, String> TRANSLATED =
      Map.of(
          PluginApi.LABEL_INSTALLATION, INSTALLATION,
          PluginApi.LABEL_WORKER, WORKER,
          PluginApi.LABEL_PROVIDER_INSTANCE, PROVIDER_INSTANCE);

  private OwnershipLabels() {}

  /** The labels of everything created for one worker, sorted so generated YAML is stable. */
  static Map<String, String> forWorker(
      Map<String, String> specLabels,
      String installationId,
      String instanceName,
      String workerId,
      WorkloadKind kind) {
    Map<String, String> labels = new TreeMap<>();
    specLabels.forEach(
        (key, value) -> {
          if (!TRANSLATED.containsKey(key)
              && !PluginApi.LABEL_MANAGED.equals(key)
              && isLabelKey(key)
              && LABEL_VALUE.matcher(value).matches()) {
            labels.put(key, value);
          }
        });
    labels.putAll(owner(installationId, instanceName));
    labels.put(WORKER, labelValue(workerId));
    labels.put(KIND, kind.label());
    return labels;
  }

  /** The selector of everything this installation's provider instance owns. */
  static Map<String, String> owner(String installationId, String instanceName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(INSTALLATION, labelValue(installationId));
    labels.put(PROVIDER_INSTANCE, labelValue(instanceName));
    return labels;
  }

  /**
   * The spec's {@code hodei.*} labels as read back from a Kubernetes object's labels: the reverse
   * of {@link #forWorker} for values that were valid as they were.
   */
  static Map<String, String> asSpecLabels(Map<String, String> kubernetesLabels) {
    Map<String, String> labels = new TreeMap<>(kubernetesLabels);
    if (MANAGED_BY_VALUE.equals(kubernetesLabels.get(MANAGED_BY))) {
      labels.put(PluginApi.LABEL_MANAGED, "true");
    }
    TRANSLATED.forEach(
        (specKey, kubernetesKey) -> {
          String value = kubernetesLabels.get(kubernetesKey);
          if (value != null) {
            labels.put(specKey, value);
          }
        });
    return labels;
  }

  /**
   * {@code text} if Kubernetes accepts it as a label value, otherwise a readable prefix of it plus
   * a hash, so that distinct ids stay distinct.
   */
  static String labelValue(String text) {
    if (LABEL_VALUE.matcher(text).matches()) {
      return text;
    }
    String cleaned = text.replaceAll("[^-A-Za-z0-9_.]", "-");
    cleaned = cleaned.substring(0, Math.min(cleaned.length(), 54));
    return trimEnds(cleaned + "-" + hash(text));
  }

  /**
   * A DNS-1123 label (lower case, digits, dashes, at most {@code maxLength}) derived from {@code
   * text}: Job, Pod and Namespace names.
   */
  static String dnsLabel(String prefix, String text, int maxLength) {
    String cleaned = (prefix + text).toLowerCase(Locale.ROOT).replaceAll("[^-a-z0-9]", "-");
    if (cleaned.length() <= maxLength && cleaned.equals(prefix + text)) {
      return trimEnds(cleaned);
    }
    String suffix = "-" + hash(text);
    String head = cleaned.substring(0, Math.min(cleaned.length(), maxLength - suffix.length()));
    return trimEnds(head + suffix);
  }

  static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static boolean isLabelKey(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return LABEL_NAME.matcher(key).matches();
    }
    return DNS_SUBDOMAIN.matcher(key.substring(0, slash)).matches()
        && LABEL_NAME.matcher(key.substring(slash + 1)).matches();
  }

  private static String trimEnds(String text) {
    return text.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
  }
}
