package io.hodei.bench.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandoffProviderTest {

  private final List<String> received = new CopyOnWriteArrayList<>();
  private HttpServer endpoint;
  private HandoffProvider provider;

  @BeforeEach
  void start() throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
          byte[] answer =
              exchange.getRequestURI().getPath().equals("/workers")
                  ? "w-1\nw-2\n".getBytes(StandardCharsets.UTF_8)
                  : new byte[0];
          exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    endpoint.start();
    provider = new HandoffProvider();
    provider.initialize(context("http://127.0.0.1:" + endpoint.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    provider.close();
    endpoint.stop(0);
  }

  @Test
  void provisionPostsTheSpecAsJson() {
    WorkerSpec spec =
        new WorkerSpec(
            "w-1",
            Optional.empty(),
            Resources.NONE,
            Map.of("HODEI_BOOTSTRAP_TOKEN", "hbt_\"x\""),
            Map.of("hodei.worker", "w-1"),
            Duration.ofHours(1));

    WorkerHandle handle = provider.provision(spec);

    assertThat(handle.resourceId()).isEqualTo("handoff-w-1");
    assertThat(received)
        .containsExactly(
            "POST /provision {\"env\":{\"HODEI_BOOTSTRAP_TOKEN\":\"hbt_\\\"x\\\"\"},"
                + "\"labels\":{\"hodei.worker\":\"w-1\"},\"workerId\":\"w-1\"}");
  }

  @Test
  void listAndStatusFollowTheEndpointsLiveWorkers() {
    assertThat(provider.list()).extracting(WorkerHandle::workerId).containsExactly("w-1", "w-2");
    assertThat(provider.status(new WorkerHandle("w-2", "handoff-w-2")).state())
        .isEqualTo(WorkerState.RUNNING);
    assertThat(provider.status(new WorkerHandle("w-3", "handoff-w-3")).state())
        .isEqualTo(WorkerState.NOT_FOUND);
  }

  @Test
  void terminatePostsTheReason() {
    provider.terminate(
        new WorkerHandle("w-1", "handoff-w-1"),
        TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));

    assertThat(received)
        .containsExactly(
            "POST /terminate {\"reason\":\"hodei: JOB_FINISHED\",\"workerId\":\"w-1\"}");
  }

  @Test
  void anUnreachableEndpointIsUnhealthyAndProvisionIsRetryable() {
    HandoffProvider orphan = new HandoffProvider();
    orphan.initialize(context("http://127.0.0.1:1/nothing"));

    assertThat(orphan.health().acceptsWork()).isFalse();
    assertThatThrownBy(() -> orphan.list())
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void refusesANonLoopbackUrl() {
    assertThatThrownBy(() -> new HandoffProvider().initialize(context("http://192.0.2.1:80")))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("loopback");
  }

  private static ProviderContext context(String url) {
    ProviderConfig config = new ProviderConfig("bench", Map.of("handoffUrl", url));
    return new ProviderContext(
        "bench",
        "test-installation",
        config,
        (CredentialHandle) null,
        event -> {},
        Clock.systemUTC());
  }
}
