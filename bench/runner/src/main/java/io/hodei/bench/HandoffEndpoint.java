package io.hodei.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving end of the handoff provider plugin: records when each provision call arrives and
 * starts a simulated agent for the worker; ends it on terminate; lists the live ones.
 */
final class HandoffEndpoint implements AutoCloseable {

  private static final String TOKEN = "HODEI_BOOTSTRAP_TOKEN";

  private final HttpServer server;
  private final ExecutorService threads;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<String> workers = ConcurrentHashMap.newKeySet();
  private final Timeline timeline;
  private final AgentFleet fleet;
  private final AtomicInteger terminations = new AtomicInteger();

  HandoffEndpoint(Timeline timeline, AgentFleet fleet) throws IOException {
    this.timeline = timeline;
    this.fleet = fleet;
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread thread = new Thread(r, "handoff-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.setExecutor(threads);
    server.createContext("/provision", this::provision);
    server.createContext("/terminate", this::terminate);
    server.createContext("/workers", this::list);
    server.createContext("/health", exchange -> answer(exchange, 200, "ok"));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int terminations() {
    return terminations.get();
  }

  private void provision(HttpExchange exchange) throws IOException {
    Instant at = Instant.now();
    JsonNode spec = read(exchange);
    String workerId = spec.path("workerId").asText("");
    String token = spec.path("env").path(TOKEN).asText("");
    if (workerId.isEmpty() || token.isEmpty()) {
      answer(exchange, 400, "a worker spec needs workerId and env." + TOKEN);
      return;
    }
    timeline.provisionCalled(workerId, at);
    workers.add(workerId);
    fleet.start(workerId, token);
    answer(exchange, 200, "");
  }

  private void terminate(HttpExchange exchange) throws IOException {
    String workerId = read(exchange).path("workerId").asText("");
    workers.remove(workerId);
    fleet.terminate(workerId);
    terminations.incrementAndGet();
    answer(exchange, 200, "");
  }

  private void list(HttpExchange exchange) throws IOException {
    answer(exchange, 200, String.join("\n", workers));
  }

  private JsonNode read(HttpExchange exchange) throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      JsonNode node = json.readTree(body);
      return node == null ? MissingNode.getInstance() : node;
    }
  }

  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
