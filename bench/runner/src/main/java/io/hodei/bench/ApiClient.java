package io.hodei.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The server's REST API, as far as the benchmark needs it: submitting no-op jobs. */
final class ApiClient {

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();
  private final URI jobs;
  private final String token;

  ApiClient(URI base, String token) {
    this.jobs = base.resolve("/api/v1/jobs");
    this.token = token;
  }

  /** Submits a job that runs {@code true} in {@code pool}; completes with its id. */
  CompletableFuture<UUID> submit(String name, String pool) {
    String body;
    try {
      body = json.writeValueAsString(Map.of("name", name, "command", "true", "pool", pool));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(jobs)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(this::jobId);
  }

  private UUID jobId(HttpResponse<String> response) {
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "submitting a job answered HTTP " + response.statusCode() + ": " + response.body());
    }
    try {
      JsonNode job = json.readTree(response.body());
      return UUID.fromString(job.path("id").asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "the server answered a job without an id: " + response.body(), e);
    }
  }
}
