package io.hodei.server.security;

import java.util.Set;

/** The roles that API callers hold, and where their tenant is kept on the security identity. */
public final class Roles {

  /** Submits and watches jobs. */
  public static final String USER = "user";

  /** Manages pools, provider instances and plugins. */
  public static final String OPERATOR = "operator";

  /** Reads the audit log. */
  public static final String AUDITOR = "auditor";

  public static final Set<String> ALL = Set.of(USER, OPERATOR, AUDITOR);

  /** Security-identity attribute naming the caller's tenant. */
  public static final String TENANT_ATTRIBUTE = "hodei.tenant";

  public static final String DEFAULT_TENANT = "default";

  private Roles() {}
}
