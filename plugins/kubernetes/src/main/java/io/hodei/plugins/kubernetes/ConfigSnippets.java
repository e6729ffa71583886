package io.hodei.plugins.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pod settings given as JSON or YAML in one configuration value (node selector, tolerations,
 * affinity), parsed afresh for every pod so that decorators cannot change the next pod's copy.
 */
record ConfigSnippets(
    String instanceName,
    Optional<String> nodeSelector,
    Optional<String> tolerations,
    Optional<String> affinity) {

  /** Parses every snippet once, so that a mistake is reported at initialize. */
  static ConfigSnippets of(KubernetesSettings settings) {
    ConfigSnippets snippets =
        new ConfigSnippets(
            settings.instanceName(),
            settings.nodeSelector(),
            settings.tolerations(),
            settings.affinity());
    snippets.validate();
    return snippets;
  }

  Map<String, String> parsedNodeSelector() {
    return nodeSelector
        .map(text -> parse("nodeSelector", text, new TypeReference<Map<String, String>>() {}))
        .<Map<String, String>>map(TreeMap::new)
        .orElse(Map.of());
  }

  List<Toleration> parsedTolerations() {
    return tolerations
        .map(text -> parse("tolerations", text, new TypeReference<List<Toleration>>() {}))
        .orElse(List.of());
  }

  Optional<Affinity> parsedAffinity() {
    return affinity.map(text -> parse("affinity", text, new TypeReference<Affinity>() {}));
  }

  void validate() {
    parsedNodeSelector();
    parsedTolerations();
    parsedAffinity();
  }

  private <T> T parse(String key, String text, TypeReference<T> type) {
    try {
      T value = Serialization.unmarshal(text, type);
      if (value == null) {
        throw new IllegalArgumentException("empty");
      }
      return value;
    } catch (RuntimeException e) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "provider instance '"
              + instanceName
              + "': setting '"
              + key
              + "' must be the JSON or YAML of a pod's "
              + key
              + " (see docs/providers/kubernetes.md): "
              + e.getMessage(),
          e);
    }
  }
}
