package io.hodei.server.credentials;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The credential broker's settings, {@code hodei.credentials.*} (docs/credentials.md). */
@ConfigMapping(prefix = "hodei.credentials")
public interface CredentialsConfig {

  /** The embedded store's master key, made owner-only on first start; HODEI_MASTER_KEY wins. */
  @WithDefault("${hodei.home}/master-key")
  String masterKeyFile();

  /**
   * Files holding master keys used before the current one. At start, every secret still under one
   * of them is re-encrypted under the current key; then they may be deleted.
   */
  Optional<List<String>> previousMasterKeyFiles();

  /** How long a value without a lease (KV, embedded) is served before it is read again. */
  @WithDefault("30s")
  Duration unleasedTtl();

  /** How long the last good value is served while its backend is down. */
  @WithDefault("15m")
  Duration maxStaleness();

  Policy policy();

  Optional<Vault> vault();

  Optional<Aws> aws();

  /** Who may read what, beyond what a provider instance's own configuration names. */
  interface Policy {

    /** Reference patterns each provider instance may read, e.g. {@code aws-sm:prod/ecs-*}. */
    Map<String, List<String>> providerInstances();

    /** Where a tenant's jobs find their secrets; must contain {tenant}. */
    @WithDefault("*:tenants/{tenant}/**")
    String tenantJobTemplate();
  }

  /**
   * HashiCorp Vault, when configured: references {@code vault:...}. Members have no declared
   * defaults (applied in {@link BrokerProducer}): a defaulted member would make the group count as
   * configured when it is not.
   */
  interface Vault {
    String address();

    Optional<String> namespace();

    /** KV version 2 mounts (default kv,secret); others are read as dynamic-secret engines. */
    Optional<List<String>> kvMounts();

    /** {@code approle} (the default) or {@code jwt}. */
    Optional<String> auth();

    /** The auth mount; defaults to the method's name. */
    Optional<String> authMount();

    /** AppRole: the role id. */
    Optional<String> roleId();

    /** AppRole: a file holding the secret id, read at each login. */
    Optional<String> secretIdFile();

    /** JWT: the Vault role bound to the token's claims. */
    Optional<String> jwtRole();

    /** JWT: a file holding the token, read at each login (e.g. a projected token). */
    Optional<String> jwtFile();

    /** Default 5s. */
    Optional<Duration> openTimeout();

    /** Default 30s. */
    Optional<Duration> readTimeout();

    /** Default 1h. */
    Optional<Duration> renewIncrement();
  }

  /** AWS Secrets Manager, when configured: references {@code aws-sm:...}. */
  interface Aws {
    String region();

    /** Another endpoint than AWS's, e.g. a VPC endpoint. */
    Optional<String> endpoint();

    /** Default 5s. */
    Optional<Duration> connectTimeout();

    /** Default 30s. */
    Optional<Duration> callTimeout();
  }
}
