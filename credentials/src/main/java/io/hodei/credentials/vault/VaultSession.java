package io.hodei.credentials.vault;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The backend's Vault token: obtained by login, renewed by logging in again shortly before it
 * expires, or at once when Vault refuses a token that had been accepted.
 */
final class VaultSession {

  /** Log in again this long before the token expires, so no call races its expiry. */
  private static final Duration EARLY = Duration.ofSeconds(10);

  /** A Vault token and when it ends. */
  record Token(String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + "]";
    }
  }

  /** One call to Vault with a token. */
  @FunctionalInterface
  interface Call<T> {
    T run(Token token) throws VaultException;
  }

  private final VaultSettings settings;
  private final HttpClient http;
  private final Clock clock;
  private Token current;

  VaultSession(VaultSettings settings, HttpClient http, Clock clock) {
    this.settings = settings;
    this.http = http;
    this.clock = clock;
  }

  /**
   * Runs {@code call} with a valid token. When Vault answers 403 to a token it accepted before (it
   * expired or was revoked early), logs in once more and repeats the call once; a second 403 is a
   * real denial.
   */
  <T> T call(Call<T> call) throws VaultException {
    Token token = token();
    try {
      return call.run(token);
    } catch (VaultException e) {
      if (e.getHttpStatusCode() != 403) {
        throw e;
      }
      return call.run(relogin(token));
    }
  }

  /** Vault answered 403 inside a response the driver returned instead of throwing. */
  static VaultException forbidden() {
    return new VaultException("permission denied", 403);
  }

  synchronized Token token() {
    if (current == null || !clock.instant().isBefore(current.expiresAt().minus(EARLY))) {
      current = login();
    }
    return current;
  }

  private synchronized Token relogin(Token stale) {
    if (current == stale) {
      current = login();
    }
    return current;
  }

  /**
   * A driver client for one call. The driver decides KV v2 path handling per client, not per mount,
   * so KV reads get a client of engine version 2 whose prefix depth is the mount's, and everything
   * else one of version 1 that leaves paths alone.
   */
  Vault client(String token, int engineVersion, int mountDepth) throws VaultException {
    VaultConfig config =
        new VaultConfig()
            .address(settings.address().toString().replaceAll("/+$", ""))
            .httpClient(http)
            .openTimeout((int) settings.openTimeout().toSeconds())
            .readTimeout((int) settings.readTimeout().toSeconds())
            .engineVersion(engineVersion)
            .prefixPathDepth(mountDepth);
    if (settings.namespace().isPresent()) {
      config.nameSpace(settings.namespace().get());
    }
    if (token != null) {
      config.token(token);
    }
    return Vault.create(config.build());
  }

  private Token login() {
    VaultAuth auth = settings.auth();
    String operation = "login with " + describe(auth) + " at auth/" + auth.mount();
    AuthResponse response;
    try {
      Vault anonymous = client(null, 1, 1);
      if (auth instanceof VaultAuth.AppRole appRole) {
        response =
            anonymous.auth().loginByAppRole(appRole.mount(), appRole.roleId(), supplied(auth));
      } else {
        VaultAuth.Jwt jwt = (VaultAuth.Jwt) auth;
        response = anonymous.auth().loginByJwt(jwt.mount(), jwt.role(), supplied(auth));
      }
    } catch (VaultException e) {
      BackendException mapped = VaultErrors.of(e, operation);
      // A refused login is the broker's configuration problem, whatever the status says.
      if (mapped.kind() == Kind.DENIED || mapped.kind() == Kind.INVALID) {
        throw new BackendException(
            Kind.UNAUTHENTICATED,
            operation
                + ": Vault refused the login (HTTP "
                + e.getHttpStatusCode()
                + "); check the role and its credentials",
            e);
      }
      throw mapped;
    }
    String token = response.getAuthClientToken();
    if (token == null || token.isEmpty()) {
      throw new BackendException(
          Kind.INVALID, operation + ": Vault's answer carried no client token");
    }
    Instant expiresAt =
        response.getAuthLeaseDuration() > 0
            ? clock.instant().plusSeconds(response.getAuthLeaseDuration())
            : Instant.MAX;
    return new Token(token, expiresAt);
  }

  private static String supplied(VaultAuth auth) {
    String value =
        auth instanceof VaultAuth.AppRole appRole
            ? appRole.secretId().get()
            : ((VaultAuth.Jwt) auth).jwt().get();
    if (value == null || value.isEmpty()) {
      throw new BackendException(
          Kind.UNAUTHENTICATED,
          "the " + describe(auth) + " credential supplier returned nothing; check what feeds it");
    }
    return value;
  }

  private static String describe(VaultAuth auth) {
    return auth instanceof VaultAuth.AppRole ? "AppRole" : "JWT";
  }
}
