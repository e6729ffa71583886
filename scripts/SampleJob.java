import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Runs the sample job of the README against a Hodei server, as any API client would: waits for the
 * server, submits a job, follows its logs live, and prints its final state. Runs as a single-file
 * program ({@code java scripts/SampleJob.java URL TOKEN_FILE [SERVER_LOG]}), so it needs nothing
 * but a JDK.
 */
public class SampleJob {

  private static final String JOB =
      """
      {"name": "hello-hodei",
       "steps": [
         {"name": "checkout", "command": "echo checking out the sources; sleep 1; echo done"},
         {"name": "build", "command": "for m in core api web; do echo compiling $m; sleep 1; done"},
         {"name": "test", "command": "echo running 42 tests; sleep 1; echo all tests passed"}
       ]}
      """;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    String base = args[0];
    Path tokenFile = Path.of(args[1]);
    Path serverLog = args.length > 2 ? Path.of(args[2]) : null;

    awaitReady(base, serverLog);
    String token = Files.readString(tokenFile).trim();

    HttpResponse<String> created =
        HTTP.send(
            request(base + "/api/v1/jobs", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JOB))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      fail("the server refused the job (" + created.statusCode() + "): " + created.body());
    }
    String id = Json.field(created.body(), "id");
    System.out.println("Submitted job " + id + "; following its logs:\n");

    HttpResponse<Stream<String>> events =
        HTTP.send(
            request(base + "/api/v1/jobs/" + id + "/logs?follow=true", token).GET().build(),
            HttpResponse.BodyHandlers.ofLines());
    events
        .body()
        .filter(line -> line.startsWith("data:"))
        .map(line -> line.substring(5))
        .forEach(SampleJob::printLine);

    String job =
        HTTP.send(
                request(base + "/api/v1/jobs/" + id, token).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String state = Json.field(job, "state");
    System.out.printf(
        "%nJob %s ended %s (exit code %s, attempt %s): %s%n",
        id, state, Json.field(job, "exitCode"), Json.field(job, "attempt"), Json.field(job, "reason"));
    System.exit("SUCCEEDED".equals(state) ? 0 : 1);
  }

  private static void printLine(String json) {
    String stream = Json.field(json, "stream");
    String step = Json.field(json, "step");
    String text = Json.field(json, "text");
    if ("SYSTEM".equals(stream)) {
      System.out.println("  -- " + text);
    } else {
      System.out.printf("  [%s]%s %s%n", step, "STDERR".equals(stream) ? " (stderr)" : "", text);
    }
  }

  private static void awaitReady(String base, Path serverLog) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> ready =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // The server is still starting.
      }
      Thread.sleep(500);
    }
    fail("the server at " + base + " did not become ready in 3 minutes" + (serverLog == null ? "" : "; see " + serverLog));
  }

  private static HttpRequest.Builder request(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
  }

  private static void fail(String message) {
    System.err.println("hodei-demo: " + message);
    System.exit(2);
  }

  /** Reads one top-level field of a flat JSON object; enough for this client's needs. */
  static final class Json {
    static String field(String json, String name) {
      String key = "\"" + name + "\":";
      int at = json.indexOf(key);
      if (at < 0) {
        return "";
      }
      int i = at + key.length();
      while (Character.isWhitespace(json.charAt(i))) {
        i++;
      }
      if (json.charAt(i) != '"') {
        int end = i;
        while (end < json.length() && ",}]".indexOf(json.charAt(end)) < 0) {
          end++;
        }
        return json.substring(i, end).trim();
      }
      StringBuilder out = new StringBuilder();
      for (i++; i < json.length() && json.charAt(i) != '"'; i++) {
        char c = json.charAt(i);
        if (c == '\\') {
          char e = json.charAt(++i);
          switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'u' -> {
              out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
              i += 4;
            }
            default -> out.append(e);
          }
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
