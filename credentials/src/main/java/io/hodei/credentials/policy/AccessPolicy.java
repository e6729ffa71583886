package io.hodei.credentials.policy;

import io.hodei.credentials.SecretReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which caller may read which references; everything not granted is denied.
 *
 * <p>Provider instances get exactly what a rule names for them ({@code ecs-prod} may read {@code
 * aws-sm:prod/ecs-*}). Jobs get their tenant's secrets through templates in which {@code {tenant}}
 * stands for the job's tenant (by default {@code *:tenants/{tenant}/**}), plus any rule naming the
 * job itself. Immutable; build one with {@link #builder()}.
 */
public final class AccessPolicy {

  /** Where a tenant's jobs find their secrets unless configured otherwise. */
  public static final String DEFAULT_TENANT_TEMPLATE = "*:tenants/{tenant}/**";

  private static final String TENANT = "{tenant}";

  private final Map<Identity, List<ReferencePattern>> rules;
  private final List<String> tenantTemplates;

  private AccessPolicy(Map<Identity, List<ReferencePattern>> rules, List<String> tenantTemplates) {
    this.rules = Map.copyOf(rules);
    this.tenantTemplates = List.copyOf(tenantTemplates);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What {@code caller} may read; the patterns a denial message lists. */
  public List<ReferencePattern> allowedFor(Caller caller) {
    List<ReferencePattern> allowed =
        new ArrayList<>(rules.getOrDefault(new Identity(caller.kind(), caller.name()), List.of()));
    if (caller.kind() == Caller.Kind.JOB) {
      for (String template : tenantTemplates) {
        allowed.add(ReferencePattern.parse(template.replace(TENANT, caller.tenant())));
      }
    }
    return allowed;
  }

  /** Whether {@code caller} may read {@code reference}. */
  public boolean permits(Caller caller, SecretReference reference) {
    return allowedFor(caller).stream().anyMatch(pattern -> pattern.matches(reference));
  }

  /**
   * Returns normally when {@code caller} may read {@code reference}.
   *
   * @throws AccessDeniedException saying what the caller may read and how to grant more
   */
  public void check(Caller caller, SecretReference reference) {
    List<ReferencePattern> allowed = allowedFor(caller);
    if (allowed.stream().anyMatch(pattern -> pattern.matches(reference))) {
      return;
    }
    String may = allowed.isEmpty() ? "it may read no secrets" : "it may read only " + allowed;
    String fix =
        caller.kind() == Caller.Kind.JOB
            ? "a job reads only its own tenant's secrets"
            : "grant it in the credential policy";
    throw new AccessDeniedException(
        caller, reference, caller + " may not read '" + reference + "': " + may + "; " + fix);
  }

  /** Collects rules; tenant templates default to {@link #DEFAULT_TENANT_TEMPLATE}. */
  public static final class Builder {
    private final Map<Identity, List<ReferencePattern>> rules = new LinkedHashMap<>();
    private final List<String> tenantTemplates = new ArrayList<>();

    private Builder() {}

    /** Lets the named identity read references matching each pattern. */
    public Builder allow(Caller.Kind kind, String name, String... patterns) {
      List<ReferencePattern> list =
          rules.computeIfAbsent(new Identity(kind, name), identity -> new ArrayList<>());
      for (String pattern : patterns) {
        list.add(ReferencePattern.parse(pattern));
      }
      return this;
    }

    /** Shorthand for a provider instance's rule. */
    public Builder allowProviderInstance(String name, String... patterns) {
      return allow(Caller.Kind.PROVIDER_INSTANCE, name, patterns);
    }

    /**
     * Replaces the default template for tenant jobs; each must contain {@code {tenant}} in its
     * path, so that a template can never hand one tenant another's secrets.
     */
    public Builder tenantJobTemplate(String template) {
      int colon = template == null ? -1 : template.indexOf(':');
      if (colon < 0 || !template.substring(colon).contains(TENANT)) {
        throw new IllegalArgumentException(
            "a tenant job template names the tenant in its path, e.g. "
                + DEFAULT_TENANT_TEMPLATE
                + ": "
                + template);
      }
      ReferencePattern.parse(template.replace(TENANT, "t"));
      tenantTemplates.add(template);
      return this;
    }

    public AccessPolicy build() {
      List<String> templates =
          tenantTemplates.isEmpty() ? List.of(DEFAULT_TENANT_TEMPLATE) : tenantTemplates;
      Map<Identity, List<ReferencePattern>> frozen = new LinkedHashMap<>();
      rules.forEach((identity, patterns) -> frozen.put(identity, List.copyOf(patterns)));
      return new AccessPolicy(frozen, templates);
    }
  }

  private record Identity(Caller.Kind kind, String name) {}
}
