package io.hodei.plugin.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.WorkerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestingFakesTest {

  @Test
  void credentialHandleRotatesAndNotifiesListeners() {
    TestingCredentialHandle credentials = new TestingCredentialHandle().with("vault:kv/x", "one");
    List<Credential> seen = new ArrayList<>();
    credentials.onRotation("vault:kv/x", seen::add);

    credentials.rotate("vault:kv/x", Map.of(Credential.VALUE, "two"));

    assertThat(credentials.get("vault:kv/x").value()).isEqualTo("two");
    assertThat(credentials.get("vault:kv/x").version()).isEqualTo("2");
    assertThat(seen).extracting(Credential::value).containsExactly("two");
    assertThat(credentials.reads("vault:kv/x")).isEqualTo(2);
  }

  @Test
  void missingCredentialIsAConfigurationError() {
    assertThatThrownBy(() -> TestingCredentialHandle.empty().get("vault:kv/none"))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ProviderException.ErrorCode.INVALID_CONFIGURATION));
  }

  @Test
  void eventSinkWaitsForAMatchingEvent() throws Exception {
    RecordingEventSink sink = new RecordingEventSink();
    Thread publisher =
        new Thread(
            () -> sink.publish(new WorkerEvent("w1", WorkerEvent.Kind.EXITED, "0", Instant.now())));
    publisher.start();

    assertThat(sink.await(e -> e.workerId().equals("w1"), Duration.ofSeconds(5))).isPresent();
    assertThat(sink.await(e -> e.workerId().equals("w2"), Duration.ofMillis(50))).isEmpty();
    publisher.join();
  }

  @Test
  void clockMovesOnlyWhenTold() {
    TestingClock clock = new TestingClock(Instant.parse("2030-01-01T00:00:00Z"));

    clock.advance(Duration.ofMinutes(5));

    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:05:00Z"));
  }
}
