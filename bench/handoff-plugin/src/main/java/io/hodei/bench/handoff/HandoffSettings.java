package io.hodei.bench.handoff;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A handoff provider instance's settings.
 *
 * @param handoffUrl the endpoint that receives worker specs; loopback only
 * @param requestTimeout how long one HTTP exchange with it may take
 */
record HandoffSettings(URI handoffUrl, Duration requestTimeout) {

  static final String URL = "handoffUrl";
  static final String TIMEOUT = "requestTimeout";

  static HandoffSettings from(String instanceName, ProviderConfig config) {
    String raw = config.require(URL).trim();
    URI uri;
    try {
      uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
    } catch (IllegalArgumentException e) {
      throw invalid(instanceName, "'" + raw + "' is not a URL: " + e.getMessage());
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw invalid(instanceName, "'" + raw + "' must be an http:// URL with a host");
    }
    // The benchmark's workers are simulated in the same host: refusing anything else keeps a
    // misconfigured instance from sending bootstrap tokens over a real network.
    if (!isLoopback(uri.getHost())) {
      throw invalid(instanceName, "'" + raw + "' must point at a loopback address");
    }
    return new HandoffSettings(uri, config.getDuration(TIMEOUT, Duration.ofSeconds(10)));
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static ProviderException invalid(String instanceName, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "handoff provider instance '" + instanceName + "': setting '" + URL + "' " + problem);
  }
}
