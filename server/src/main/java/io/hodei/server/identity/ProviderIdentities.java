package io.hodei.server.identity;

import io.hodei.credentials.identity.ClientCredentialsTokenSource;
import io.hodei.credentials.identity.IdentitySettings;
import io.hodei.credentials.identity.TokenVerifier;
import io.hodei.credentials.policy.Caller;
import io.hodei.server.security.Roles;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

/**
 * Each provider instance's identity in Keycloak, when {@code hodei.keycloak.server-url} is set: a
 * confidential client with a service account per instance, whose client-credentials tokens the host
 * obtains and renews and the broker verifies on every credential call.
 */
@ApplicationScoped
public class ProviderIdentities {

  private static final Logger LOG = Logger.getLogger(ProviderIdentities.class);

  private final KeycloakConfig config;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, ClientCredentialsTokenSource> sources = new ConcurrentHashMap<>();
  private final KeycloakAdminApi admin;
  private final TokenVerifier verifier;

  public ProviderIdentities(KeycloakConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    if (config.serverUrl().isEmpty()) {
      this.admin = null;
      this.verifier = null;
      return;
    }
    String serverUrl = config.serverUrl().get();
    this.admin =
        new KeycloakAdminApi(
            serverUrl,
            config.realm(),
            config.adminClientId(),
            config
                .adminClientSecret()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "hodei.keycloak.server-url is set but hodei.keycloak.admin-client-secret"
                                + " is not: give the secret of client "
                                + config.adminClientId()
                                + " (a service account allowed to manage clients and users)")));
    this.verifier =
        new TokenVerifier(
            IdentitySettings.keycloak(serverUrl, config.realm(), config.brokerAudience())
                .withTenantClaim(config.tenantClaim())
                .withClientIdPrefix(config.clientIdPrefix()),
            clock);
  }

  @PreDestroy
  void close() {
    if (admin != null) {
      admin.close();
    }
  }

  /** Whether provider instances authenticate with Keycloak tokens. */
  public boolean enabled() {
    return admin != null;
  }

  /**
   * Makes sure the instance has its client (creating it with its service account, audience and
   * tenant mappers and role) and returns who the broker sees on each call: the holder of the
   * instance's current token, verified.
   */
  public Supplier<Caller> callerFor(String instance) {
    requireEnabled();
    ClientCredentialsTokenSource source = sources.computeIfAbsent(instance, this::openSource);
    return () -> verifier.providerInstance(source.token());
  }

  /** The instance's token source, e.g. to renew at once after a rotation. */
  public Optional<ClientCredentialsTokenSource> tokenSource(String instance) {
    return Optional.ofNullable(sources.get(instance));
  }

  /**
   * Gives the instance's client a new secret. The token in hand stays valid until it expires; the
   * next renewal uses the new secret, so callers see no gap.
   *
   * @return false when the instance has no identity here (not open, or Keycloak not configured)
   */
  public boolean rotateSecret(String instance) {
    requireEnabled();
    ClientCredentialsTokenSource source = sources.get(instance);
    if (source == null) {
      return false;
    }
    String id =
        admin
            .findClient(source.clientId())
            .orElseThrow(
                () ->
                    new KeycloakException(
                        "client "
                            + source.clientId()
                            + " is gone from Keycloak; reopen the instance"));
    source.useSecret(admin.regenerateSecret(id));
    LOG.infof("Rotated the client secret of provider instance %s", instance);
    return true;
  }

  /** Deletes the instance's client, once the instance is closed or removed. */
  public void forget(String instance) {
    if (!enabled()) {
      return;
    }
    ClientCredentialsTokenSource source = sources.remove(instance);
    String clientId = source != null ? source.clientId() : clientIdOf(instance);
    admin.findClient(clientId).ifPresent(admin::deleteClient);
  }

  /** The client id of an instance. */
  public String clientIdOf(String instance) {
    return config.clientIdPrefix() + instance;
  }

  private ClientCredentialsTokenSource openSource(String instance) {
    String clientId = clientIdOf(instance);
    String id = admin.findClient(clientId).orElseGet(() -> create(instance, clientId));
    return new ClientCredentialsTokenSource(
        URI.create(
            stripSlash(config.serverUrl().get())
                + "/realms/"
                + config.realm()
                + "/protocol/openid-connect/token"),
        clientId,
        admin.secret(id),
        clock,
        http);
  }

  private String create(String instance, String clientId) {
    ClientRepresentation client = new ClientRepresentation();
    client.setClientId(clientId);
    client.setDescription("Hodei provider instance " + instance);
    client.setEnabled(true);
    client.setProtocol("openid-connect");
    client.setPublicClient(false);
    client.setClientAuthenticatorType("client-secret");
    client.setServiceAccountsEnabled(true);
    client.setStandardFlowEnabled(false);
    client.setImplicitFlowEnabled(false);
    client.setDirectAccessGrantsEnabled(false);
    client.setProtocolMappers(
        List.of(
            mapper(
                "audience",
                "oidc-audience-mapper",
                Map.of("included.custom.audience", config.brokerAudience())),
            mapper(
                "tenant",
                "oidc-hardcoded-claim-mapper",
                Map.of(
                    "claim.name",
                    config.tenantClaim(),
                    "claim.value",
                    Roles.DEFAULT_TENANT,
                    "jsonType.label",
                    "String"))));
    String id = admin.createClient(client);
    boolean roleGiven = admin.grantRealmRole(id, config.providerRole());
    LOG.infof(
        "Created Keycloak client %s for provider instance %s%s",
        clientId, instance, roleGiven ? " with role " + config.providerRole() : "");
    return id;
  }

  private static ProtocolMapperRepresentation mapper(
      String name, String type, Map<String, String> own) {
    Map<String, String> settings = new HashMap<>(own);
    settings.put("access.token.claim", "true");
    settings.put("id.token.claim", "false");
    settings.put("introspection.token.claim", "true");
    ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
    mapper.setName(name);
    mapper.setProtocol("openid-connect");
    mapper.setProtocolMapper(type);
    mapper.setConfig(settings);
    return mapper;
  }

  private void requireEnabled() {
    if (!enabled()) {
      throw new IllegalStateException("Keycloak is not configured (hodei.keycloak.server-url)");
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
