package io.hodei.server.credentials;

import io.hodei.credentials.SecretReference;
import io.hodei.credentials.broker.CredentialBroker;
import io.hodei.credentials.policy.AccessPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access policy in force: the configured rules, plus, for each open provider instance, exactly
 * the references its own configuration names. An operator who writes a reference into an instance's
 * configuration grants it; nothing else does.
 */
@ApplicationScoped
public class CredentialPolicy {

  /** The backends whose references a configuration value may name. */
  static final Set<String> SCHEMES = Set.of("local", "vault", "aws-sm");

  private final CredentialsConfig.Policy configured;
  private final Map<String, Set<String>> declared = new ConcurrentHashMap<>();
  private volatile CredentialBroker broker;

  public CredentialPolicy(CredentialsConfig config) {
    this.configured = config.policy();
    current(); // Fails start-up on a malformed configured pattern rather than at first use.
  }

  /** The references named by the values of {@code config}; comma-separated lists included. */
  public static Set<String> referencesIn(Map<String, String> config) {
    Set<String> references = new TreeSet<>();
    for (String value : config.values()) {
      for (String part : value.split(",")) {
        String candidate = part.strip();
        int colon = candidate.indexOf(':');
        if (colon > 0 && SCHEMES.contains(candidate.substring(0, colon))) {
          references.add(SecretReference.parse(candidate).toString());
        }
      }
    }
    return references;
  }

  /** Lets {@code instance} read the references its configuration names, until {@link #forget}. */
  public void grantDeclared(String instance, Map<String, String> config) {
    declared.put(instance, referencesIn(config));
    push();
  }

  public void forget(String instance) {
    if (declared.remove(instance) != null) {
      push();
    }
  }

  AccessPolicy current() {
    AccessPolicy.Builder builder = AccessPolicy.builder();
    configured
        .providerInstances()
        .forEach((name, patterns) -> builder.allowProviderInstance(name, toArray(patterns)));
    declared.forEach(
        (name, references) ->
            builder.allowProviderInstance(name, references.toArray(String[]::new)));
    return builder.tenantJobTemplate(configured.tenantJobTemplate()).build();
  }

  void attach(CredentialBroker broker) {
    this.broker = broker;
  }

  private void push() {
    CredentialBroker target = broker;
    if (target != null) {
      target.policy(current());
    }
  }

  private static String[] toArray(List<String> patterns) {
    return patterns.stream()
        .flatMap(pattern -> Arrays.stream(pattern.split(",")))
        .map(String::strip)
        .filter(pattern -> !pattern.isEmpty())
        .toArray(String[]::new);
  }
}
