package io.hodei.plugins.aci;

import com.azure.core.management.polling.PollResult;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.resourcemanager.containerinstance.fluent.ContainerInstanceManagementClient;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container group operations of one provider instance against Resource Manager: read, create
 * and follow the creation, delete and follow the deletion, list. Every call that Resource Manager
 * refuses for its credential (401) is retried once with the credential fetched again.
 */
final class ContainerGroups {

  private static final Logger LOG = Logger.getLogger(ContainerGroups.class.getName());

  private final AciSettings settings;
  private final ArmConnection connection;

  ContainerGroups(AciSettings settings, ArmConnection connection) {
    this.settings = settings;
    this.connection = connection;
  }

  /** The group, or empty when it (or its resource group) does not exist. */
  Optional<ContainerGroupInner> find(String resourceGroup, String name) {
    return call(
        "reading container group " + resourceGroup + "/" + name,
        client -> {
          try {
            return Optional.of(client.getContainerGroups().getByResourceGroup(resourceGroup, name));
          } catch (RuntimeException e) {
            if (AciErrors.isNotFound(e)) {
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  /**
   * Creates the group and follows the creation for up to {@code provisionWait}: a creation that
   * fails early (an image that cannot be pulled, a full region) becomes a clear error and its group
   * is deleted; one that takes longer is left to run, and the worker's status reports it.
   */
  void create(String name, ContainerGroupInner group) {
    String action = "creating container group " + settings.resourceGroup() + "/" + name;
    SyncPoller<PollResult<ContainerGroupInner>, ContainerGroupInner> creation =
        call(
            action,
            client ->
                client
                    .getContainerGroups()
                    .beginCreateOrUpdate(settings.resourceGroup(), name, group));
    long deadline = System.nanoTime() + settings.provisionWait().toNanos();
    PollResponse<PollResult<ContainerGroupInner>> response;
    try {
      response = creation.poll();
      while (!response.getStatus().isComplete() && System.nanoTime() < deadline) {
        Duration delay =
            Optional.ofNullable(response.getRetryAfter())
                .orElse(settings.connection().pollInterval());
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        Thread.sleep(Math.max(0, Math.min(delay.toMillis(), left)));
        response = creation.poll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ErrorCode.TIMEOUT,
          "provider instance '" + settings.instanceName() + "' interrupted while " + action,
          e);
    } catch (RuntimeException e) {
      throw AciErrors.translate(settings.instanceName(), action, e);
    }
    LongRunningOperationStatus status = response.getStatus();
    if (status == LongRunningOperationStatus.FAILED
        || status == LongRunningOperationStatus.USER_CANCELLED) {
      ProviderException failure = operationFailure(action, response);
      deleteQuietly(name);
      throw failure;
    }
  }

  /**
   * Deletes the group and follows the deletion for up to {@code provisionWait}, so that a listing
   * right after no longer holds it. A group already gone is success.
   */
  void delete(String resourceGroup, String name) {
    String action = "deleting container group " + resourceGroup + "/" + name;
    SyncPoller<PollResult<ContainerGroupInner>, ContainerGroupInner> deletion =
        call(
            action,
            client -> {
              try {
                return client.getContainerGroups().beginDelete(resourceGroup, name);
              } catch (RuntimeException e) {
                if (AciErrors.isNotFound(e)) {
                  return null;
                }
                throw e;
              }
            });
    if (deletion == null) {
      return;
    }
    try {
      PollResponse<PollResult<ContainerGroupInner>> done =
          deletion.waitForCompletion(settings.provisionWait());
      if (done.getStatus() == LongRunningOperationStatus.FAILED) {
        throw operationFailure(action, done);
      }
    } catch (RuntimeException e) {
      if (AciErrors.isNotFound(e)) {
        return;
      }
      if (isWaitTimeout(e)) {
        LOG.info(
            "provider instance '"
                + settings.instanceName()
                + "': deletion of "
                + name
                + " still running after "
                + settings.provisionWait());
        return;
      }
      throw AciErrors.translate(settings.instanceName(), action, e);
    }
  }

  /**
   * Every group of the resource group whose tags hold {@code ownerTags}. Resource Manager cannot
   * filter container groups by tag, so the filter runs here; a listing that fails part-way throws
   * rather than return a partial list that would look like lost workers.
   */
  List<ContainerGroupInner> owned(Map<String, String> ownerTags) {
    return call(
        "listing container groups of resource group " + settings.resourceGroup(),
        client -> {
          List<ContainerGroupInner> owned = new ArrayList<>();
          for (ContainerGroupInner group :
              client.getContainerGroups().listByResourceGroup(settings.resourceGroup())) {
            if (OwnershipTags.ownedBy(group.tags(), ownerTags)) {
              owned.add(group);
            }
          }
          return owned;
        });
  }

  /** Reads the first page of the resource group's listing: cheap proof that calls work. */
  void probe() {
    call(
        "checking health",
        client ->
            client
                .getContainerGroups()
                .listByResourceGroup(settings.resourceGroup())
                .iterableByPage()
                .iterator()
                .hasNext());
  }

  private void deleteQuietly(String name) {
    try {
      call(
          "deleting failed container group " + name,
          client -> client.getContainerGroups().beginDelete(settings.resourceGroup(), name));
    } catch (ProviderException e) {
      // The orphan sweep finds it through list() and tries again.
      LOG.log(
          Level.WARNING,
          "provider instance '"
              + settings.instanceName()
              + "': could not delete failed container group "
              + name
              + ": "
              + e.getMessage());
    }
  }

  private ProviderException operationFailure(
      String action, PollResponse<PollResult<ContainerGroupInner>> response) {
    PollResult.Error error = response.getValue() == null ? null : response.getValue().getError();
    if (error == null) {
      return new ProviderException(
          ErrorCode.UNAVAILABLE,
          "provider instance '"
              + settings.instanceName()
              + "' while "
              + action
              + ": the operation ended "
              + response.getStatus());
    }
    return AciErrors.operationFailed(settings.instanceName(), action, error);
  }

  /**
   * Runs one Resource Manager call; when Resource Manager refuses the credential, fetches it again
   * through the credential handle and retries once, then fails with {@code AUTHENTICATION}.
   */
  private <T> T call(String action, Function<ContainerInstanceManagementClient, T> body) {
    String instance = settings.instanceName();
    try {
      return body.apply(connection.client());
    } catch (RuntimeException first) {
      if (!AciErrors.isAuthenticationFailure(first)) {
        throw AciErrors.translate(instance, action, first);
      }
      if (!connection.refreshAfterRejection()) {
        throw authenticationFailure(action, first, "no newer credential was available");
      }
      try {
        return body.apply(connection.client());
      } catch (RuntimeException second) {
        if (AciErrors.isAuthenticationFailure(second)) {
          throw authenticationFailure(
              action, second, "the credential fetched again was refused too");
        }
        throw AciErrors.translate(instance, action, second);
      }
    }
  }

  private ProviderException authenticationFailure(String action, RuntimeException e, String why) {
    ProviderException translated = AciErrors.translate(settings.instanceName(), action, e);
    return new ProviderException(
        ErrorCode.AUTHENTICATION, translated.getMessage() + " (" + why + ")", e);
  }

  private static boolean isWaitTimeout(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // SyncPoller.waitForCompletion(timeout) ends with a blocking read that timed out.
      if (t instanceof TimeoutException
          || String.valueOf(t.getMessage()).contains("Timeout on blocking read")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
