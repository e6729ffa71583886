package io.hodei.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A rotated token reaches the API server on the next call, without restarting the instance. */
class CredentialRotationTest {

  private MockCluster cluster;
  private final TestingCredentialHandle credentials =
      TestingCredentialHandle.empty().with(MockCluster.TOKEN_REFERENCE, "token-one");
  private KubernetesProvider provider;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    provider = new KubernetesProvider();
    provider.initialize(
        new ProviderContext(
            "rotating",
            "install-1",
            new ProviderConfig("rotating", TestSettings.forMock(cluster.url())),
            credentials,
            new RecordingEventSink(),
            TestingClock.startingNow()));
  }

  @AfterEach
  void stop() {
    provider.close();
    cluster.close();
  }

  @Test
  void theNextCallAfterARotationCarriesTheNewToken() throws Exception {
    provider.list();
    assertThat(authorizationOfLastJobList()).isEqualTo("Bearer token-one");
    assertThat(credentials.listenerCount(MockCluster.TOKEN_REFERENCE))
        .as("the provider subscribed to rotations of its token")
        .isEqualTo(1);

    credentials.rotate(MockCluster.TOKEN_REFERENCE, Map.of(Credential.VALUE, "token-two"));
    provider.list();

    assertThat(authorizationOfLastJobList()).isEqualTo("Bearer token-two");
  }

  private String authorizationOfLastJobList() throws InterruptedException {
    List<RecordedRequest> jobLists =
        cluster.drainRequests().stream()
            .filter(r -> "GET".equals(r.getMethod()))
            .filter(r -> r.getPath().startsWith("/apis/batch/v1/namespaces/ci/jobs?"))
            .toList();
    assertThat(jobLists).as("list() asked the API server for jobs").isNotEmpty();
    return jobLists.get(jobLists.size() - 1).getHeader("Authorization");
  }
}
