package io.hodei.plugins.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.net.URI;

/** Turns what the Docker client throws into the SPI's error codes, with the engine named. */
final class EngineErrors {

  private final URI host;

  EngineErrors(URI host) {
    this.host = host;
  }

  /** Describes a failed {@code action} (e.g. "create container hodei-x") for the host. */
  ProviderException translate(String action, RuntimeException e) {
    if (e instanceof ProviderException p) {
      return p;
    }
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().trim();
    if (e instanceof UnauthorizedException) {
      return new ProviderException(
          ErrorCode.AUTHENTICATION, "cannot " + action + ": the engine refused: " + reason, e);
    }
    if (e instanceof DockerException d && d.getHttpStatus() == 403) {
      return new ProviderException(
          ErrorCode.PERMISSION_DENIED,
          "cannot " + action + ": the engine forbids it: " + reason,
          e);
    }
    if (e instanceof BadRequestException || e instanceof ConflictException) {
      return new ProviderException(ErrorCode.INVALID_SPEC, "cannot " + action + ": " + reason, e);
    }
    if (e instanceof NotFoundException) {
      return new ProviderException(ErrorCode.INVALID_SPEC, "cannot " + action + ": " + reason, e);
    }
    if (e instanceof DockerException d && d.getHttpStatus() >= 500) {
      return new ProviderException(
          ErrorCode.UNAVAILABLE, "cannot " + action + ": the engine failed: " + reason, e);
    }
    if (e instanceof DockerException) {
      return new ProviderException(ErrorCode.INTERNAL, "cannot " + action + ": " + reason, e);
    }
    // Anything else is the transport: no socket, refused, reset, timed out.
    return new ProviderException(
        ErrorCode.UNAVAILABLE, "cannot " + action + ": " + unreachable(e), e);
  }

  /** The sentence health() and failed calls use when the engine does not answer. */
  String unreachable(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return "cannot reach the Docker engine at "
        + host
        + " ("
        + why
        + "); check that dockerd runs and that this host may open its socket";
  }
}
