package io.hodei.plugins.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Makes sure a worker's image is on the engine, as the instance's pull policy says. */
final class ImagePuller {

  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);

  private final PullPolicy policy;
  private final RegistryLogin login;
  private final EngineErrors errors;

  ImagePuller(PullPolicy policy, RegistryLogin login, EngineErrors errors) {
    this.policy = policy;
    this.login = login;
    this.errors = errors;
  }

  void ensure(DockerClient client, String image) {
    if (policy == PullPolicy.ALWAYS || !present(client, image)) {
      if (policy == PullPolicy.NEVER) {
        throw new ProviderException(
            ErrorCode.INVALID_SPEC,
            "image "
                + image
                + " is not on the engine and the pull policy is 'never': load or build it on the"
                + " engine, or set pullPolicy to if-not-present");
      }
      pull(client, image);
    }
  }

  private boolean present(DockerClient client, String image) {
    try {
      client.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw errors.translate("inspect image " + image, e);
    }
  }

  private void pull(DockerClient client, String image) {
    ImageReference reference = ImageReference.parse(image);
    PullImageCmd pull = client.pullImageCmd(reference.repository()).withTag(reference.tag());
    login.forRegistry(reference.registry()).ifPresent(pull::withAuthConfig);
    try {
      boolean done =
          pull.exec(new PullImageResultCallback())
              .awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!done) {
        throw new ProviderException(
            ErrorCode.TIMEOUT, "pulling image " + image + " took longer than " + PULL_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(ErrorCode.TIMEOUT, "interrupted while pulling " + image, e);
    } catch (NotFoundException e) {
      throw new ProviderException(
          ErrorCode.INVALID_SPEC,
          "image " + image + " is neither on the engine nor in its registry: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      throw errors.translate("pull image " + image, e);
    }
  }
}
