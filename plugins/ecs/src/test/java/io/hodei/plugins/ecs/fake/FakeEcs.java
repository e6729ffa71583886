package io.hodei.plugins.ecs.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local Amazon ECS endpoint speaking the real wire protocol (AWS JSON 1.1: POST with {@code
 * X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>}, answers in {@code
 * application/x-amz-json-1.1}, errors as {@code __type} and {@code message}), plus STS AssumeRole
 * (the Query protocol, XML answers). It checks every request's SigV4 signature against the keys it
 * knows, keeps state (task definitions and their revisions, tasks moving from PROVISIONING through
 * RUNNING to STOPPED, tags), records requests and injects faults: throttling, server errors, delays
 * and dropped connections.
 */
public final class FakeEcs implements AutoCloseable {

  public static final String REGION = "eu-west-1";
  public static final String ACCOUNT = "123456789012";
  static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

  /** A fault to answer a request with instead of serving it. */
  public enum Fault {
    /** 400 ThrottlingException, "Rate exceeded": what ECS answers above its request rate. */
    THROTTLING,
    /** 500 ServerException. */
    SERVER_ERROR,
    /** 503 with no JSON body, as a load balancer in front of a sick endpoint answers. */
    UNAVAILABLE,
    /** Answers only after a delay longer than any request timeout the tests use (3 s). */
    SLOW,
    /** Closes the connection without an answer. */
    RESET
  }

  /** Plays what would run inside a task: told when a task starts running and when it stops. */
  public interface TaskRunner {
    void started(FakeTask task);

    void stopped(FakeTask task);
  }

  /** One request as received, with the access key id that signed it. */
  public record Recorded(
      String operation, String accessKeyId, Optional<String> securityToken, JsonNode body) {}

  private record Key(String secret, Optional<String> sessionToken) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SIGNATURE_MISMATCH =
      "The request signature we calculated does not match the signature you provided.";

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService lifecycle;
  private final FakeEcsApi api;
  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  private final Map<String, Fault> persistentFaults = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final List<String> assumedRoles = new CopyOnWriteArrayList<>();
  private volatile TaskRunner runner = new NoRunner();
  private volatile Duration startDelay = Duration.ofMillis(150);
  private volatile Duration stopDelay = Duration.ofMillis(150);
  private volatile boolean holdStarts;

  private FakeEcs(String cluster) throws IOException {
    api = new FakeEcsApi(cluster);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    handlers = Executors.newFixedThreadPool(8, daemon("fake-ecs-http"));
    server.setExecutor(handlers);
    server.createContext("/", this::serve);
    lifecycle = Executors.newSingleThreadScheduledExecutor(daemon("fake-ecs-lifecycle"));
  }

  /** Starts a fake holding one ACTIVE cluster named {@code cluster}. */
  public static FakeEcs start(String cluster) {
    try {
      FakeEcs fake = new FakeEcs(cluster);
      fake.server.start();
      fake.lifecycle.scheduleWithFixedDelay(fake::advance, 20, 20, TimeUnit.MILLISECONDS);
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake ECS endpoint", e);
    }
  }

  /** The endpoint URL, for the SDK's endpointOverride (the provider's 'endpoint' setting). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  // ---- Identities ----

  /** Accepts requests signed with this key pair. */
  public FakeEcs acceptKey(String accessKeyId, String secretAccessKey) {
    keys.put(accessKeyId, new Key(secretAccessKey, Optional.empty()));
    return this;
  }

  /** Stops accepting a key pair: requests signed with it fail as AWS fails them. */
  public void revokeKey(String accessKeyId) {
    keys.remove(accessKeyId);
  }

  /** Role ARNs that AssumeRole was called for, in order. */
  public List<String> assumedRoles() {
    return List.copyOf(assumedRoles);
  }

  // ---- Faults ----

  /** Answers the next {@code times} requests of {@code operation} with {@code fault}. */
  public void failNext(String operation, int times, Fault fault) {
    Deque<Fault> queue = faults.computeIfAbsent(operation, o -> new ArrayDeque<>());
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.add(fault);
      }
    }
  }

  /** Answers every request of {@code operation} with {@code fault} until {@link #heal()}. */
  public void failAlways(String operation, Fault fault) {
    persistentFaults.put(operation, fault);
  }

  public void heal() {
    persistentFaults.clear();
    faults.clear();
  }

  /** Makes RunTask start nothing and answer with this failure reason (e.g. RESOURCE:MEMORY). */
  public void failRunTasks(String reason) {
    api.failRunTasks(Optional.of(reason));
  }

  // ---- Lifecycle ----

  public void setRunner(TaskRunner runner) {
    this.runner = runner == null ? new NoRunner() : runner;
  }

  /** While true, tasks stay in PROVISIONING. */
  public void holdStarts(boolean hold) {
    this.holdStarts = hold;
  }

  public void setDelays(Duration start, Duration stop) {
    this.startDelay = start;
    this.stopDelay = stop;
  }

  /** The worker container exited with {@code code}, which stops the task as ECS does. */
  public void exit(String taskArn, int code) {
    task(taskArn)
        .orElseThrow()
        .requestStop("EssentialContainerExited", "Essential container in task exited", null, code);
  }

  /** Stops a task as AWS would on its own, with a stop code and reasons. */
  public void stopByAws(String taskArn, String stopCode, String reason, String containerReason) {
    task(taskArn).orElseThrow().requestStop(stopCode, reason, containerReason, null);
  }

  /** Removes a task from ECS's memory, as happens some time after it stopped. */
  public void forget(String taskArn) {
    api.tasks().remove(taskArn);
  }

  private void advance() {
    for (FakeTask task : api.tasks().values()) {
      try {
        step(task);
      } catch (RuntimeException e) {
        // A runner failing must not stop the lifecycle of the other tasks.
        System.err.println("fake ECS: lifecycle step of " + task.arn() + " failed: " + e);
      }
    }
  }

  private void step(FakeTask task) {
    String status = task.lastStatus();
    if ("STOPPED".equals(task.desiredStatus())) {
      if (status.equals("RUNNING") || status.equals("PENDING") || status.equals("PROVISIONING")) {
        task.moveTo("STOPPING");
      } else if (status.equals("STOPPING") && task.millisInStatus() >= stopDelay.toMillis()) {
        task.moveTo("STOPPED");
        runner.stopped(task);
      }
      return;
    }
    if (holdStarts) {
      return;
    }
    if (status.equals("PROVISIONING") && task.millisInStatus() >= startDelay.toMillis() / 2) {
      task.moveTo("PENDING");
    } else if (status.equals("PENDING") && task.millisInStatus() >= startDelay.toMillis() / 2) {
      if (task.image().contains("unpullable")) {
        task.requestStop(
            "TaskFailedToStart",
            "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
            "CannotPullContainerError: " + task.image() + ": not found",
            null);
        return;
      }
      task.moveTo("RUNNING");
      runner.started(task);
    }
  }

  // ---- State probes ----

  public List<FakeTask> tasks() {
    return List.copyOf(api.tasks().values());
  }

  public Optional<FakeTask> task(String arn) {
    return Optional.ofNullable(api.tasks().get(arn));
  }

  /** Every revision registered, with its content and tags. */
  public List<FakeTaskDefinition> taskDefinitions() {
    return api.revisions();
  }

  /** Deregisters a revision from outside, as an operator might. */
  public void deregisterTaskDefinition(String arn) {
    api.handle("DeregisterTaskDefinition", MAPPER.createObjectNode().put("taskDefinition", arn));
  }

  /** ACTIVE or INACTIVE. */
  public String taskDefinitionStatus(String arn) {
    return api.statusOf(arn);
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public List<Recorded> requests(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).toList();
  }

  public void clearRequests() {
    requests.clear();
  }

  // ---- HTTP ----

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      boolean sts = target == null && new String(body, StandardCharsets.UTF_8).contains("Action=");
      String operation =
          sts
              ? form(body).getOrDefault("Action", "")
              : target != null && target.startsWith(TARGET_PREFIX)
                  ? target.substring(TARGET_PREFIX.length())
                  : "";
      if (!"POST".equals(exchange.getRequestMethod()) || operation.isEmpty()) {
        json(exchange, 404, error("UnknownOperationException", "not an ECS or STS request"));
        return;
      }
      Optional<SigV4Check.Parsed> auth =
          SigV4Check.parse(exchange.getRequestHeaders().getFirst("Authorization"));
      String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
      requests.add(
          new Recorded(
              operation,
              auth.map(SigV4Check.Parsed::accessKeyId).orElse(""),
              Optional.ofNullable(token),
              sts ? MAPPER.valueToTree(form(body)) : parse(body)));
      Optional<String> refused = refusal(exchange, body, auth, token, sts ? "sts" : "ecs");
      if (refused.isPresent()) {
        boolean signature = refused.get().startsWith(SIGNATURE_MISMATCH);
        if (sts) {
          xml(
              exchange,
              403,
              stsError(
                  signature ? "SignatureDoesNotMatch" : "InvalidClientTokenId", refused.get()));
        } else {
          json(
              exchange,
              400,
              error(
                  signature ? "InvalidSignatureException" : "UnrecognizedClientException",
                  refused.get()));
        }
        return;
      }
      Fault fault = nextFault(operation);
      if (fault != null && injure(exchange, fault)) {
        return;
      }
      if (sts) {
        assumeRole(exchange, form(body));
        return;
      }
      if (!"application/x-amz-json-1.1"
          .equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        json(exchange, 400, error("SerializationException", "expected application/x-amz-json-1.1"));
        return;
      }
      try {
        json(exchange, 200, api.handle(operation, (ObjectNode) parse(body)));
      } catch (FakeEcsApi.ApiError e) {
        json(exchange, e.status, error(e.type, e.getMessage()));
      }
    }
  }

  /** Why AWS would refuse the request's signature, if it would. */
  private Optional<String> refusal(
      HttpExchange exchange,
      byte[] body,
      Optional<SigV4Check.Parsed> auth,
      String token,
      String service) {
    if (auth.isEmpty()) {
      return Optional.of("Missing or malformed SigV4 Authorization header.");
    }
    SigV4Check.Parsed parsed = auth.get();
    Key key = keys.get(parsed.accessKeyId());
    if (key == null) {
      return Optional.of("The security token included in the request is invalid.");
    }
    if (!parsed.region().equals(REGION) || !parsed.service().equals(service)) {
      return Optional.of(
          "Credential should be scoped to a valid region and service: " + REGION + "/" + service);
    }
    if (key.sessionToken().isPresent() && !key.sessionToken().get().equals(token)) {
      return Optional.of("The security token included in the request is invalid.");
    }
    if (!SigV4Check.signatureMatches(parsed, exchange, body, key.secret())) {
      return Optional.of(SIGNATURE_MISMATCH + " Check your AWS Secret Access Key.");
    }
    return Optional.empty();
  }

  private Fault nextFault(String operation) {
    Deque<Fault> queue = faults.get(operation);
    if (queue != null) {
      synchronized (queue) {
        Fault next = queue.poll();
        if (next != null) {
          return next;
        }
      }
    }
    return persistentFaults.get(operation);
  }

  /** Answers with the fault; false when the request should be served after all (a delay). */
  private boolean injure(HttpExchange exchange, Fault fault) throws IOException {
    switch (fault) {
      case THROTTLING -> json(exchange, 400, error("ThrottlingException", "Rate exceeded"));
      case SERVER_ERROR ->
          json(exchange, 500, error("ServerException", "Service encountered an internal error."));
      case UNAVAILABLE -> {
        byte[] text = "Service Unavailable".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(503, text.length);
        exchange.getResponseBody().write(text);
      }
      case SLOW -> {
        try {
          Thread.sleep(3_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }
      case RESET -> {
        // Closing without response headers: the client sees the connection end.
      }
    }
    return true;
  }

  private void assumeRole(HttpExchange exchange, Map<String, String> form) throws IOException {
    String role = form.get("RoleArn");
    if (role == null || !role.startsWith("arn:aws:iam::")) {
      xml(exchange, 400, stsError("ValidationError", "RoleArn is invalid"));
      return;
    }
    assumedRoles.add(role);
    String keyId =
        "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    String secret = UUID.randomUUID().toString();
    String sessionToken = "session-" + UUID.randomUUID();
    keys.put(keyId, new Key(secret, Optional.of(sessionToken)));
    String session = form.getOrDefault("RoleSessionName", "session");
    xml(
        exchange,
        200,
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<AssumeRoleResult><Credentials>"
            + "<AccessKeyId>"
            + keyId
            + "</AccessKeyId>"
            + "<SecretAccessKey>"
            + secret
            + "</SecretAccessKey>"
            + "<SessionToken>"
            + sessionToken
            + "</SessionToken>"
            + "<Expiration>"
            + Instant.now().plus(Duration.ofHours(1))
            + "</Expiration>"
            + "</Credentials><AssumedRoleUser>"
            + "<AssumedRoleId>AROAFAKE:"
            + session
            + "</AssumedRoleId>"
            + "<Arn>"
            + role.replace(":role/", ":assumed-role/").replace("iam::", "sts::")
            + "/"
            + session
            + "</Arn>"
            + "</AssumedRoleUser></AssumeRoleResult>"
            + "<ResponseMetadata><RequestId>"
            + UUID.randomUUID()
            + "</RequestId></ResponseMetadata>"
            + "</AssumeRoleResponse>");
  }

  private static String stsError(String code, String message) {
    return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
        + "<Type>Sender</Type><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message>"
        + "</Error><RequestId>"
        + UUID.randomUUID()
        + "</RequestId></ErrorResponse>";
  }

  private static ObjectNode error(String type, String message) {
    return MAPPER.createObjectNode().put("__type", type).put("message", message);
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (body.has("__type")) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", body.get("__type").asText());
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void xml(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static JsonNode parse(byte[] body) throws IOException {
    return body.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(body);
  }

  private static Map<String, String> form(byte[] body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  static String arn(String resource) {
    return "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":" + resource;
  }

  static String clusterArn(String cluster) {
    return arn("cluster/" + cluster);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    lifecycle.shutdownNow();
    server.stop(0);
    handlers.shutdownNow();
  }

  private static final class NoRunner implements TaskRunner {
    @Override
    public void started(FakeTask task) {}

    @Override
    public void stopped(FakeTask task) {}
  }
}
