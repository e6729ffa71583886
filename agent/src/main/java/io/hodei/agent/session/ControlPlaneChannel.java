package io.hodei.agent.session;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.hodei.agent.config.AgentConfig;
import io.hodei.agent.config.ConfigException;
import java.io.IOException;

/** Opens the gRPC channel to the control plane: plaintext by default, TLS when configured. */
public final class ControlPlaneChannel {

  private ControlPlaneChannel() {}

  public static ManagedChannel open(AgentConfig config) throws ConfigException {
    return Grpc.newChannelBuilderForAddress(
            config.serverAddress().host(), config.serverAddress().port(), credentials(config))
        .userAgent("hodei-agent")
        .build();
  }

  private static ChannelCredentials credentials(AgentConfig config) throws ConfigException {
    if (!config.tls()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    if (config.caFile().isPresent()) {
      try {
        tls.trustManager(config.caFile().get().toFile());
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException(
            AgentConfig.ENV_SERVER_CA_FILE
                + " names "
                + config.caFile().get()
                + ", which is not a PEM CA bundle: "
                + e.getMessage());
      }
    }
    return tls.build();
  }
}
