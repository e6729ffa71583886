package io.hodei.plugins.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The API clients of one engine, each with the timeouts its use needs: a read of the event stream
 * may wait for hours, a ping must answer in seconds, and a stop waits out the grace period.
 */
final class EngineClients implements AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

  private final DockerClient requests;
  private final DockerClient quick;
  private final DockerClient streams;

  EngineClients(URI host, Optional<SSLConfig> tls, Duration stopGrace) {
    // A stop blocks for the grace period before it answers; a pull is a stream of progress.
    this.requests = client(host, tls, Optional.of(stopGrace.plus(Duration.ofSeconds(60))));
    this.quick = client(host, tls, Optional.of(PING_TIMEOUT));
    this.streams = client(host, tls, Optional.empty());
  }

  /** For ordinary calls: create, start, inspect, stop, remove, pull, logs. */
  DockerClient requests() {
    return requests;
  }

  /** For calls that must answer fast or not at all: ping. */
  DockerClient quick() {
    return quick;
  }

  /** For the event stream, which stays open with nothing to read for as long as nothing happens. */
  DockerClient streams() {
    return streams;
  }

  private static DockerClient client(
      URI host, Optional<SSLConfig> tls, Optional<Duration> responseTimeout) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(host.toString())
            .withDockerTlsVerify(false)
            .build();
    ZerodepDockerHttpClient.Builder http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .connectionTimeout(CONNECT_TIMEOUT)
            .maxConnections(32);
    tls.ifPresent(http::sslConfig);
    responseTimeout.ifPresent(http::responseTimeout);
    return DockerClientImpl.getInstance(config, http.build());
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (DockerClient client : new DockerClient[] {requests, quick, streams}) {
      try {
        client.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
