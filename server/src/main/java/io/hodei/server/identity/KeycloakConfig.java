package io.hodei.server.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Keycloak as the installation's identity provider, {@code hodei.keycloak.*} (docs/identity.md).
 * Without a server URL, provider instances keep their in-process identity.
 */
@ConfigMapping(prefix = "hodei.keycloak")
public interface KeycloakConfig {

  /** The Keycloak base URL, e.g. {@code https://sso.example.com}; unset turns Keycloak off. */
  Optional<String> serverUrl();

  /** The realm holding Hodei's clients and users. */
  @WithDefault("hodei")
  String realm();

  /** The confidential client the server manages the realm's clients with (service account). */
  @WithDefault("hodei-server")
  String adminClientId();

  /** That client's secret. */
  Optional<String> adminClientSecret();

  /** The audience the broker requires in provider instances' tokens. */
  @WithDefault("hodei-broker")
  String brokerAudience();

  /** The audience API callers' tokens must carry (the client users log in through). */
  @WithDefault("hodei-api")
  String apiAudience();

  /** The claim naming a token holder's tenant. */
  @WithDefault("tenant")
  String tenantClaim();

  /** Provider instances' client ids are this prefix and the instance name. */
  @WithDefault("hodei-provider-")
  String clientIdPrefix();

  /** A realm role given to every provider instance's service account, when the realm has it. */
  @WithDefault("provider-instance")
  String providerRole();
}
