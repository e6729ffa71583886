package io.hodei.plugins.cloudrun.fake;

import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.ListExecutionsResponse;
import com.google.cloud.run.v2.ListJobsResponse;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Cloud Run Admin API v2 REST surface on loopback, for the real Google client: jobs (create,
 * get, list, delete, run), executions (get, list, cancel, delete) and long-running operations, plus
 * the OAuth token endpoint a service-account key uses. It keeps state, checks requests as the API
 * reference documents, answers with {@code google.rpc.Status} error bodies, and injects faults
 * ({@link Fault}).
 */
public final class FakeCloudRun implements AutoCloseable {

  /** The only project the fake serves; others are answered 403, as to a caller without access. */
  public static final String PROJECT = "hodei-test";

  public static final String REGION = "europe-west1";

  private static final String LOCATION = "/v2/(projects/([^/]+)/locations/([^/]+))";
  private static final Pattern OPERATION = Pattern.compile(LOCATION + "/operations/([^/:]+)");
  private static final Pattern JOBS = Pattern.compile(LOCATION + "/jobs");
  private static final Pattern JOB = Pattern.compile(LOCATION + "/jobs/([^/:]+)");
  private static final Pattern RUN = Pattern.compile(LOCATION + "/jobs/([^/:]+):run");
  private static final Pattern EXECUTIONS = Pattern.compile(LOCATION + "/jobs/([^/:]+)/executions");
  private static final Pattern EXECUTION =
      Pattern.compile(LOCATION + "/jobs/([^/:]+)/executions/([^/:]+)");
  private static final Pattern CANCEL =
      Pattern.compile(LOCATION + "/jobs/([^/:]+)/executions/([^/:]+):cancel");

  private static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(Job.getDescriptor())
          .add(Execution.getDescriptor())
          .build();

  /** One API request as the fake received it, with the identity its token belongs to. */
  public record RecordedRequest(
      String method, String path, String query, String body, String identity) {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final CloudRunStore store = new CloudRunStore();
  private final FakeOAuth oauth;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private volatile TaskRunner runner = TaskRunner.startImmediately();
  private volatile int createJobPolls = 1;
  private volatile int pageSize = 50;

  private FakeCloudRun() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    AtomicInteger threads = new AtomicInteger();
    pool =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "fake-cloud-run-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    oauth = new FakeOAuth(endpoint() + "/token");
  }

  public static FakeCloudRun start() {
    try {
      FakeCloudRun fake = new FakeCloudRun();
      fake.server.start();
      return fake;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake Cloud Run API", e);
    }
  }

  /** The API's address, for a provider instance's {@code endpoint} setting. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Issues service-account keys whose tokens the fake accepts. */
  public FakeOAuth oauth() {
    return oauth;
  }

  /** What plays the containers of executions started from now on. */
  public void runner(TaskRunner runner) {
    this.runner = runner;
  }

  /** Injects a fault into the next matching requests. */
  public Fault inject(Fault fault) {
    faults.add(fault);
    return fault;
  }

  /** How many times CreateJob's operation is polled before it is done (1 by default). */
  public void createJobPolls(int polls) {
    this.createJobPolls = polls;
  }

  /** The largest page a list answers, so that tests can make the client follow page tokens. */
  public void pageSize(int pageSize) {
    this.pageSize = pageSize;
  }

  // ---- The state, as a test or a runner sees and changes it ----

  public void markRunning(String executionName) {
    store.markRunning(executionName);
  }

  /** The task's container exited; returns false if the execution had already ended or gone. */
  public boolean markExited(String executionName, int exitCode) {
    return store.markExited(executionName, exitCode);
  }

  public void markInfrastructureFailure(String executionName, String message) {
    store.markInfrastructureFailure(
        executionName, Condition.CommonReason.CONTAINER_MISSING, message);
  }

  /** Deletes an execution as someone with console access would, behind Hodei's back. */
  public void deleteOutsideHodei(String executionName) {
    store.removeExecution(executionName);
    runner.stop(executionName);
  }

  /** The environment the execution's container got: job template, overrides and Cloud Run's. */
  public Map<String, String> environmentOf(String executionName) {
    return store.environmentOf(executionName);
  }

  /** Executions that exist now, by full name. */
  public Map<String, Execution> executions() {
    return store.executions();
  }

  /** Jobs that exist now, by full name. */
  public Map<String, Job> jobs() {
    return store.jobs();
  }

  /** Every API request so far (not token requests), oldest first. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  // ---- HTTP ----

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (path.equals("/token") && method.equals("POST")) {
        Map.Entry<Integer, String> answer = oauth.exchange(body);
        send(exchange, answer.getKey(), answer.getValue(), Map.of());
        return;
      }
      Optional<String> identity =
          oauth.identityOf(exchange.getRequestHeaders().getFirst("Authorization"));
      requests.add(new RecordedRequest(method, path, query, body, identity.orElse(null)));
      try {
        Fault fault = faults.stream().filter(f -> f.claim(method, path)).findFirst().orElse(null);
        if (fault != null && fault.delay() != null) {
          Thread.sleep(fault.delay().toMillis());
        } else if (fault != null) {
          Map<String, String> headers =
              fault.retryAfterSeconds() == null
                  ? Map.of()
                  : Map.of("Retry-After", String.valueOf(fault.retryAfterSeconds()));
          send(exchange, fault.error().httpStatus(), fault.error().body(), headers);
          return;
        }
        if (identity.isEmpty()) {
          throw new ApiError(
              401,
              "UNAUTHENTICATED",
              "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                  + " login cookie or other valid authentication credential.");
        }
        Message answer = route(method, path, parseQuery(query), body, identity.get());
        JsonFormat.Printer printer = JsonFormat.printer().usingTypeRegistry(TYPES);
        if (query.contains("enum-encoding%3Dint") || query.contains("enum-encoding=int")) {
          printer = printer.printingEnumsAsInts();
        }
        send(exchange, 200, printer.print(answer), Map.of());
      } catch (ApiError e) {
        send(exchange, e.httpStatus(), e.body(), Map.of());
      } catch (InvalidProtocolBufferException e) {
        ApiError error = ApiError.invalid("Invalid JSON payload received. " + e.getMessage());
        send(exchange, 400, error.body(), Map.of());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Message route(
      String method, String path, Map<String, String> query, String body, String identity)
      throws InvalidProtocolBufferException {
    Matcher m;
    if ((m = OPERATION.matcher(path)).matches() && method.equals("GET")) {
      project(m);
      return store.operation(m.group(1) + "/operations/" + m.group(4), true);
    }
    if ((m = JOBS.matcher(path)).matches()) {
      project(m);
      if (method.equals("POST")) {
        Job.Builder job = Job.newBuilder();
        JsonFormat.parser().merge(body, job);
        RequestChecks.createJob(query.get("jobId"), job.build());
        return store.createJob(
            m.group(1), query.get("jobId"), job.build(), identity, createJobPolls);
      }
      if (method.equals("GET")) {
        List<Job> all = store.listJobs(m.group(1));
        Page page = page(query, all.size());
        ListJobsResponse.Builder response =
            ListJobsResponse.newBuilder().addAllJobs(all.subList(page.from(), page.to()));
        page.next().ifPresent(response::setNextPageToken);
        return response.build();
      }
    }
    if ((m = RUN.matcher(path)).matches() && method.equals("POST")) {
      project(m);
      RunJobRequest.Builder request = RunJobRequest.newBuilder();
      JsonFormat.parser().merge(body.isBlank() ? "{}" : body, request);
      RequestChecks.runJob(request.getOverrides());
      String jobName = m.group(1) + "/jobs/" + m.group(4);
      Operation operation = store.runJob(m.group(1), jobName, request.getOverrides(), identity);
      String executionName = unpackExecution(operation).getName();
      runner.start(this, executionName, store.environmentOf(executionName));
      return operation;
    }
    if ((m = JOB.matcher(path)).matches()) {
      project(m);
      String jobName = m.group(1) + "/jobs/" + m.group(4);
      if (method.equals("GET")) {
        return store.getJob(jobName);
      }
      if (method.equals("DELETE")) {
        return store.deleteJob(m.group(1), jobName);
      }
    }
    if ((m = EXECUTIONS.matcher(path)).matches() && method.equals("GET")) {
      project(m);
      List<Execution> all = store.listExecutions(m.group(1) + "/jobs/" + m.group(4));
      Page page = page(query, all.size());
      ListExecutionsResponse.Builder response =
          ListExecutionsResponse.newBuilder().addAllExecutions(all.subList(page.from(), page.to()));
      page.next().ifPresent(response::setNextPageToken);
      return response.build();
    }
    if ((m = CANCEL.matcher(path)).matches() && method.equals("POST")) {
      project(m);
      JsonFormat.parser().merge(body.isBlank() ? "{}" : body, CancelExecutionRequest.newBuilder());
      String name = m.group(1) + "/jobs/" + m.group(4) + "/executions/" + m.group(5);
      Operation operation = store.cancelExecution(m.group(1), name);
      runner.stop(name);
      return operation;
    }
    if ((m = EXECUTION.matcher(path)).matches()) {
      project(m);
      String name = m.group(1) + "/jobs/" + m.group(4) + "/executions/" + m.group(5);
      if (method.equals("GET")) {
        return store.getExecution(name);
      }
      if (method.equals("DELETE")) {
        Operation operation = store.deleteExecution(m.group(1), name);
        runner.stop(name);
        return operation;
      }
    }
    throw new ApiError(
        404, "NOT_FOUND", "The requested URL " + method + " " + path + " was not found");
  }

  private static Execution unpackExecution(Operation operation) {
    try {
      return operation.getMetadata().unpack(Execution.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void project(Matcher m) {
    if (!PROJECT.equals(m.group(2))) {
      throw new ApiError(
          403,
          "PERMISSION_DENIED",
          "Permission denied on resource project " + m.group(2) + " (or it may not exist).");
    }
  }

  private record Page(int from, int to, Optional<String> next) {}

  private Page page(Map<String, String> query, int total) {
    int size = pageSize;
    if (query.containsKey("pageSize")) {
      int asked = Integer.parseInt(query.get("pageSize"));
      size = asked > 0 ? Math.min(asked, pageSize) : pageSize;
    }
    int from = query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken")) : 0;
    int to = Math.min(total, from + size);
    return new Page(from, to, to < total ? Optional.of(String.valueOf(to)) : Optional.empty());
  }

  private static Map<String, String> parseQuery(String query) {
    Map<String, String> values = new HashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  private static void send(
      HttpExchange exchange, int status, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops serving; requests in flight are cut. */
  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
