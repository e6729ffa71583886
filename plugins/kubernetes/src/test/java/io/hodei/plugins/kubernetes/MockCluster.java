package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's mock API server in CRUD mode on loopback: it stores, lists, watches and deletes real
 * objects, but runs no controllers and no kubelet (see {@link FakeKubelet}).
 */
final class MockCluster implements AutoCloseable {

  static final String TOKEN_REFERENCE = "test:kubernetes-token";

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  /** The API server's URL, as an instance's {@code apiUrl}. */
  String url() {
    return server.url("/");
  }

  /** A client of the test's own, standing in for kubectl, the kubelet and controllers. */
  KubernetesClient client() {
    return client;
  }

  /** Every request received since the last call, oldest first. */
  List<RecordedRequest> drainRequests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request);
    }
    return requests;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
