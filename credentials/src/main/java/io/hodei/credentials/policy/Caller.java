package io.hodei.credentials.policy;

import io.hodei.credentials.tenants.TenantName;
import java.util.regex.Pattern;

/**
 * Who asks the broker for a secret: a provider instance (e.g. {@code ecs-prod}) or a tenant's job.
 *
 * @param kind what sort of identity it is
 * @param name the provider instance's name or the job's id
 * @param tenant the tenant it acts for ({@link TenantName}); the jobs of a tenant may read only
 *     that tenant's secrets
 */
public record Caller(Kind kind, String name, String tenant) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}");

  /** The sorts of identity the broker serves. */
  public enum Kind {
    PROVIDER_INSTANCE("provider instance"),
    JOB("job");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** How messages name this kind. */
    public String label() {
      return label;
    }
  }

  public Caller {
    if (kind == null) {
      throw new IllegalArgumentException("a caller needs a kind: PROVIDER_INSTANCE or JOB");
    }
    requireName("name", name);
    // Tenant names end up inside reference patterns and namespaces: the strict tenant syntax.
    if (!TenantName.isValid(tenant)) {
      throw new IllegalArgumentException(
          "a caller's tenant is " + TenantName.RULE + ": " + TenantName.describe(tenant));
    }
  }

  /** A provider instance acting for the platform's own tenant. */
  public static Caller providerInstance(String name, String tenant) {
    return new Caller(Kind.PROVIDER_INSTANCE, name, tenant);
  }

  /** A job of {@code tenant}. */
  public static Caller job(String jobId, String tenant) {
    return new Caller(Kind.JOB, jobId, tenant);
  }

  @Override
  public String toString() {
    return kind.label() + " '" + name + "' (tenant " + tenant + ")";
  }

  private static void requireName(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a caller's " + what + " is 1 to 128 letters, digits and _.@- : " + value);
    }
  }
}
