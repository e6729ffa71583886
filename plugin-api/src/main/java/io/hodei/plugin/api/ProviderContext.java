package io.hodei.plugin.api;

import java.time.Clock;

/**
 * What the host gives a provider instance in {@link WorkerManagerProvider#initialize}.
 *
 * @param instanceName the provider instance's name, e.g. {@code k8s-prod-eu}
 * @param installationId the id of the Hodei installation; put it in ownership labels
 * @param config the instance's configuration
 * @param credentials access to the instance's credentials, by reference; never hold the values in
 *     configuration
 * @param events where to report workers that fail or vanish outside the host's control
 * @param clock the host's clock; use it instead of the system clock so tests can move time
 */
public record ProviderContext(
    String instanceName,
    String installationId,
    ProviderConfig config,
    CredentialHandle credentials,
    WorkerEventSink events,
    Clock clock) {}
