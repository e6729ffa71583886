package io.hodei.bench.handoff;

import io.hodei.plugin.api.Capabilities;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.pf4j.Extension;

/**
 * A provider that starts nothing itself: it hands each worker spec to an HTTP endpoint on loopback
 * (the benchmark), which plays the worker by running a simulated agent. It measures the control
 * plane, not a backend.
 *
 * <p>Endpoint contract: {@code POST /provision} with {@code {"workerId","env","labels"}}, {@code
 * POST /terminate} with {@code {"workerId","reason"}}, {@code GET /workers} answering the live
 * worker ids one per line, {@code GET /health} answering 200 when it takes work.
 */
@Extension
public final class HandoffProvider implements WorkerManagerProvider {

  static final String TYPE = "handoff";
  static final String RESOURCE_PREFIX = "handoff-";

  private static final String VERSION = readVersion();

  private volatile HandoffSettings settings;
  private volatile HttpClient http;
  private volatile String instanceName = "?";

  @Override
  public ProviderDescriptor describe() {
    return new ProviderDescriptor(
        TYPE,
        VERSION,
        new Capabilities(
            new Resources(64_000, 256 * 1024, 0, 0),
            Set.of("amd64", "arm64"),
            Set.of(),
            0,
            true,
            Optional.empty()));
  }

  @Override
  public synchronized void initialize(ProviderContext context) {
    if (settings != null) {
      throw new ProviderException(ErrorCode.INTERNAL, "initialize was called twice");
    }
    instanceName = context.instanceName();
    HandoffSettings parsed = HandoffSettings.from(context.instanceName(), context.config());
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(parsed.requestTimeout())
            .build();
    settings = parsed;
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    String body =
        HandoffJson.object(
            Map.of("workerId", spec.workerId(), "env", spec.env(), "labels", spec.labels()));
    send("provision " + spec.workerId(), post("/provision", body));
    return new WorkerHandle(spec.workerId(), RESOURCE_PREFIX + spec.workerId());
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    return liveIds().contains(handle.workerId())
        ? WorkerStatus.of(WorkerState.RUNNING)
        : WorkerStatus.of(WorkerState.NOT_FOUND);
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    String body =
        HandoffJson.object(Map.of("workerId", handle.workerId(), "reason", reason.describe()));
    send("terminate " + handle.workerId(), post("/terminate", body));
  }

  @Override
  public List<WorkerHandle> list() {
    return liveIds().stream().map(id -> new WorkerHandle(id, RESOURCE_PREFIX + id)).toList();
  }

  @Override
  public ProviderHealth health() {
    try {
      send("health", request("/health").GET().build());
      return ProviderHealth.healthy();
    } catch (ProviderException e) {
      return ProviderHealth.unhealthy(e.getMessage());
    }
  }

  @Override
  public void close() {
    // HttpClient has no close on Java 17; its threads are daemons and die with the class loader.
    http = null;
  }

  private List<String> liveIds() {
    String body = send("list", request("/workers").GET().build());
    return Arrays.stream(body.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private HttpRequest post(String path, String json) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private HttpRequest.Builder request(String path) {
    HandoffSettings current = ensureOpen();
    return HttpRequest.newBuilder(URI.create(current.handoffUrl() + path))
        .timeout(current.requestTimeout());
  }

  private String send(String what, HttpRequest request) {
    HttpClient client = http;
    if (client == null) {
      throw new ProviderException(ErrorCode.INTERNAL, "the handoff provider is closed");
    }
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ProviderException(
          ErrorCode.UNAVAILABLE,
          instanceName + ": " + what + " could not reach " + request.uri() + ": " + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ErrorCode.TIMEOUT, instanceName + ": " + what + " was interrupted", e);
    }
    int code = response.statusCode();
    if (code / 100 == 2) {
      return response.body();
    }
    ErrorCode error =
        switch (code) {
          case 429 -> ErrorCode.THROTTLED;
          case 400, 422 -> ErrorCode.INVALID_SPEC;
          default -> code >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
        };
    throw new ProviderException(
        error,
        instanceName
            + ": "
            + what
            + " answered HTTP "
            + code
            + " from "
            + request.uri()
            + ": "
            + response.body());
  }

  private HandoffSettings ensureOpen() {
    HandoffSettings current = settings;
    if (current == null) {
      throw new ProviderException(ErrorCode.INTERNAL, "the handoff provider is not initialized");
    }
    return current;
  }

  private static String readVersion() {
    try (InputStream in = HandoffProvider.class.getResourceAsStream("handoff-plugin.properties")) {
      if (in == null) {
        throw new IllegalStateException("handoff-plugin.properties is missing from the plugin jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
