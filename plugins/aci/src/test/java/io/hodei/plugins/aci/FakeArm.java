package io.hodei.plugins.aci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Azure Resource Manager's container instance API (api-version 2023-05-01),
 * speaking its wire protocol over HTTP on loopback: container groups created with PUT (201 with an
 * {@code Azure-AsyncOperation} to poll), read with GET, listed per resource group with paging, and
 * deleted with DELETE (202 with a {@code Location} to poll). It checks bearer tokens and
 * api-versions, validates request bodies, answers errors as {@code {"error":{"code","message"}}},
 * keeps state, and injects faults ({@link ArmFaults}). A {@link ContainerRuntime} plays the node
 * that runs the containers.
 */
public final class FakeArm implements AutoCloseable {

  /** The api-version the SDK speaks; anything else is refused, as Resource Manager does. */
  public static final String API_VERSION = "2023-05-01";

  /** The token the fake accepts from the start. */
  public static final String DEFAULT_TOKEN = "fake-arm-token";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROVIDER = "/providers/Microsoft.ContainerInstance";
  private static final Pattern GROUP =
      Pattern.compile(
          "/subscriptions/([^/]+)/resourceGroups/([^/]+)" + PROVIDER + "/containerGroups/([^/]+)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern GROUPS =
      Pattern.compile(
          "/subscriptions/([^/]+)/resourceGroups/([^/]+)" + PROVIDER + "/containerGroups",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern OPERATION =
      Pattern.compile(
          "/subscriptions/([^/]+)"
              + PROVIDER
              + "/locations/([^/]+)/(operations|operationResults)/([^/]+)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** Plays the node: starts and stops the containers of the groups the fake accepted. */
  public interface ContainerRuntime {
    /** Called once the group is accepted; report with {@link FakeGroup#running()} and friends. */
    void start(FakeGroup group);

    /** Called when the group is deleted: stop whatever runs for it. */
    default void stop(FakeGroup group) {}
  }

  /** A runtime that starts every container at once and keeps it running. */
  public static final ContainerRuntime STARTS_AT_ONCE = FakeGroup::running;

  /** A request as the fake received it. */
  public record RecordedRequest(
      String method,
      String path,
      Map<String, String> query,
      String authorization,
      String body,
      Instant at) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final String subscription;
  private final Set<String> resourceGroups = ConcurrentHashMap.newKeySet();
  private final Set<String> acceptedTokens = ConcurrentHashMap.newKeySet();
  private final Map<String, FakeGroup> groups = new ConcurrentHashMap<>();
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final ArmFaults faults = new ArmFaults();
  private volatile ContainerRuntime runtime = STARTS_AT_ONCE;
  private volatile int retryAfterSeconds = 1;
  private volatile int pageSize = 3;

  /** An asynchronous operation: a creation or a deletion of one group. */
  private record Operation(String id, String kind, String groupKey) {}

  private FakeArm(String subscription, String resourceGroup) throws IOException {
    this.subscription = subscription;
    resourceGroups.add(resourceGroup.toLowerCase(java.util.Locale.ROOT));
    acceptedTokens.add(DEFAULT_TOKEN);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "fake-arm");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a fake holding one subscription with one resource group. */
  public static FakeArm start(String subscription, String resourceGroup) {
    try {
      return new FakeArm(subscription, resourceGroup);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot start the fake Resource Manager", e);
    }
  }

  // ---- Set-up ----

  /** {@code http://127.0.0.1:<port>/}, the resourceManagerEndpoint to configure. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  public FakeArm runtime(ContainerRuntime runtime) {
    this.runtime = runtime;
    return this;
  }

  /** The {@code Retry-After} seconds of asynchronous operation answers (1 by default). */
  public FakeArm retryAfterSeconds(int seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  /** How many groups one page of a listing holds before a {@code nextLink}. */
  public FakeArm pageSize(int size) {
    this.pageSize = size;
    return this;
  }

  public FakeArm acceptToken(String token) {
    acceptedTokens.add(token);
    return this;
  }

  /** Refuses a token from now on, as when it expires or its secret is rotated away. */
  public FakeArm revokeToken(String token) {
    acceptedTokens.remove(token);
    return this;
  }

  public ArmFaults faults() {
    return faults;
  }

  // ---- State ----

  public Optional<FakeGroup> group(String name) {
    return groups.values().stream().filter(g -> g.name().equals(name)).findFirst();
  }

  public List<FakeGroup> groups() {
    return List.copyOf(groups.values());
  }

  /**
   * Creates a running group directly, as something other than the provider under test did (an
   * instance that crashed before recording it, another installation).
   */
  public FakeGroup putRunningGroup(String resourceGroup, String name, Map<String, String> tags) {
    ObjectNode request = JSON.createObjectNode();
    request.put("location", "westeurope");
    ObjectNode tagNode = request.putObject("tags");
    tags.forEach(tagNode::put);
    ObjectNode properties = request.putObject("properties");
    properties.put("osType", "Linux");
    properties.put("restartPolicy", "Never");
    ObjectNode container = properties.putArray("containers").addObject();
    container.put("name", "worker");
    ObjectNode containerProperties = container.putObject("properties");
    containerProperties.put("image", "hodei/agent-runtime:left-behind");
    ObjectNode requests = containerProperties.putObject("resources").putObject("requests");
    requests.put("cpu", 1.0);
    requests.put("memoryInGB", 1.0);
    FakeGroup group = new FakeGroup(subscription, resourceGroup, name, request);
    groups.put(key(resourceGroup, name), group);
    group.running();
    return group;
  }

  /** Deletes a group behind the provider's back, as someone with the Azure CLI would. */
  public void deleteOutside(String name) {
    group(name)
        .ifPresent(
            g -> {
              groups.remove(key(g.resourceGroup(), g.name()));
              runtime.stop(g);
            });
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  /** Deletions finish on their own after a while, whether or not anyone polls them. */
  private void purgeDeleted() {
    Instant now = Instant.now();
    groups.entrySet().removeIf(e -> e.getValue().deletedBy(now));
  }

  // ---- Serving ----

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String method = exchange.getRequestMethod();
      purgeDeleted();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new RecordedRequest(method, path, query, authorization, body, Instant.now()));

      Optional<ArmFaults.Fault> fault = faults.take(method, path);
      if (fault.isPresent()) {
        if (fault.get().apply(exchange)) {
          return;
        }
      }
      if (authorization == null || !authorization.startsWith("Bearer ")) {
        error(
            exchange,
            401,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.");
        return;
      }
      if (!acceptedTokens.contains(authorization.substring("Bearer ".length()))) {
        error(
            exchange,
            401,
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.");
        return;
      }
      if (!API_VERSION.equals(query.get("api-version"))) {
        error(
            exchange,
            400,
            query.containsKey("api-version")
                ? "InvalidApiVersionParameter"
                : "MissingApiVersionParameter",
            "The api-version '"
                + query.getOrDefault("api-version", "")
                + "' is invalid. The supported versions include '"
                + API_VERSION
                + "'.");
        return;
      }
      route(exchange, method, path, query, body);
    } catch (IOException | RuntimeException e) {
      // The client may have given up (a slow answer it timed out on); nothing left to say.
    }
  }

  private void route(
      HttpExchange exchange, String method, String path, Map<String, String> query, String body)
      throws IOException {
    Matcher group = GROUP.matcher(path);
    Matcher groups = GROUPS.matcher(path);
    Matcher operation = OPERATION.matcher(path);
    if (group.matches()) {
      if (!knownScope(exchange, group.group(1), group.group(2))) {
        return;
      }
      String name = group.group(3);
      switch (method) {
        case "PUT" -> put(exchange, group.group(2), name, body);
        case "GET" -> get(exchange, group.group(2), name);
        case "DELETE" -> delete(exchange, group.group(2), name);
        default -> error(exchange, 405, "MethodNotAllowed", method + " is not supported here");
      }
    } else if (groups.matches() && "GET".equals(method)) {
      if (knownScope(exchange, groups.group(1), groups.group(2))) {
        list(exchange, groups.group(2), query.get("$skipToken"));
      }
    } else if (operation.matches() && "GET".equals(method)) {
      poll(exchange, operation.group(3), operation.group(4));
    } else {
      error(exchange, 404, "InvalidResourceType", "No route for " + method + " " + path);
    }
  }

  private boolean knownScope(HttpExchange exchange, String subscriptionId, String resourceGroup)
      throws IOException {
    if (!subscription.equals(subscriptionId)) {
      error(
          exchange,
          404,
          "SubscriptionNotFound",
          "The subscription '" + subscriptionId + "' could not be found.");
      return false;
    }
    if (!resourceGroups.contains(resourceGroup.toLowerCase(java.util.Locale.ROOT))) {
      error(
          exchange,
          404,
          "ResourceGroupNotFound",
          "Resource group '" + resourceGroup + "' could not be found.");
      return false;
    }
    return true;
  }

  private void put(HttpExchange exchange, String resourceGroup, String name, String body)
      throws IOException {
    if (!GROUP_NAME.matcher(name).matches() || name.contains("--")) {
      error(
          exchange,
          400,
          "InvalidContainerGroupName",
          "The container group name '"
              + name
              + "' is invalid. The name must be between 1 and 63 characters long, contain only"
              + " lowercase letters, numbers or dashes, and not start or end with a dash.");
      return;
    }
    ObjectNode request;
    try {
      request = (ObjectNode) JSON.readTree(body);
    } catch (IOException | ClassCastException e) {
      error(exchange, 400, "InvalidRequestContent", "The request content is not valid JSON.");
      return;
    }
    Optional<String> invalid = ContainerGroupRules.check(request);
    if (invalid.isPresent()) {
      String[] codeAndMessage = invalid.get().split(": ", 2);
      error(exchange, 400, codeAndMessage[0], codeAndMessage[1]);
      return;
    }
    String key = key(resourceGroup, name);
    FakeGroup group = new FakeGroup(subscription, resourceGroup, name, request);
    boolean existed = groups.put(key, group) != null;
    Operation operation = new Operation(UUID.randomUUID().toString(), "create", key);
    operations.put(operation.id(), operation);
    exchange
        .getResponseHeaders()
        .add("Azure-AsyncOperation", operationUrl(group.location(), "operations", operation.id()));
    exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
    respond(exchange, existed ? 200 : 201, group.toJson(false));
    runtime.start(group);
  }

  private void get(HttpExchange exchange, String resourceGroup, String name) throws IOException {
    FakeGroup group = groups.get(key(resourceGroup, name));
    if (group == null) {
      notFound(exchange, resourceGroup, name);
      return;
    }
    respond(exchange, 200, group.toJson(true));
  }

  private void list(HttpExchange exchange, String resourceGroup, String skipToken)
      throws IOException {
    List<FakeGroup> all =
        groups.values().stream()
            .filter(g -> g.resourceGroup().equalsIgnoreCase(resourceGroup))
            .sorted(java.util.Comparator.comparing(FakeGroup::name))
            .toList();
    int from = skipToken == null ? 0 : Integer.parseInt(skipToken);
    int to = Math.min(all.size(), from + pageSize);
    ObjectNode page = JSON.createObjectNode();
    ArrayNode value = page.putArray("value");
    // Like Resource Manager's listing, without the instance views.
    all.subList(Math.min(from, to), to).forEach(g -> value.add(g.toJson(false)));
    if (to < all.size()) {
      page.put(
          "nextLink",
          endpoint()
              + "subscriptions/"
              + subscription
              + "/resourceGroups/"
              + resourceGroup
              + PROVIDER
              + "/containerGroups?api-version="
              + API_VERSION
              + "&$skipToken="
              + to);
    }
    respond(exchange, 200, page);
  }

  private void delete(HttpExchange exchange, String resourceGroup, String name) throws IOException {
    String key = key(resourceGroup, name);
    FakeGroup group = groups.get(key);
    if (group == null) {
      // Deleting what is not there succeeds, as Resource Manager answers it.
      respond(exchange, 204, null);
      return;
    }
    group.deleting(Instant.now().plusSeconds(retryAfterSeconds));
    runtime.stop(group);
    Operation operation = new Operation(UUID.randomUUID().toString(), "delete", key);
    operations.put(operation.id(), operation);
    exchange
        .getResponseHeaders()
        .add("Location", operationUrl(group.location(), "operationResults", operation.id()));
    exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
    respond(exchange, 202, null);
  }

  private void poll(HttpExchange exchange, String kind, String id) throws IOException {
    Operation operation = operations.get(id);
    if (operation == null) {
      error(exchange, 404, "OperationNotFound", "Operation '" + id + "' was not found.");
      return;
    }
    FakeGroup group = groups.get(operation.groupKey());
    if ("delete".equals(operation.kind())) {
      // One poll after the Retry-After is enough for the group to be gone.
      groups.remove(operation.groupKey());
      operations.remove(id);
      if ("operationResults".equals(kind)) {
        respond(exchange, 204, null);
      } else {
        respond(exchange, 200, status(id, "Succeeded", null));
      }
      return;
    }
    if (group == null) {
      respond(
          exchange,
          200,
          status(id, "Canceled", Map.of("code", "Canceled", "message", "The group was deleted")));
      return;
    }
    String state = group.provisioningState();
    switch (state) {
      case "Succeeded" -> respond(exchange, 200, status(id, "Succeeded", null));
      case "Failed" ->
          respond(exchange, 200, status(id, "Failed", group.failure().orElse(Map.of())));
      default -> {
        exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
        respond(exchange, 200, status(id, "InProgress", null));
      }
    }
  }

  private ObjectNode status(String id, String status, Map<String, String> error) {
    ObjectNode body = JSON.createObjectNode();
    body.put(
        "id",
        "/subscriptions/" + subscription + PROVIDER + "/locations/somewhere/operations/" + id);
    body.put("name", id);
    body.put("status", status);
    body.put("startTime", Instant.now().toString());
    if (error != null) {
      ObjectNode node = body.putObject("error");
      error.forEach(node::put);
    }
    return body;
  }

  private void notFound(HttpExchange exchange, String resourceGroup, String name)
      throws IOException {
    error(
        exchange,
        404,
        "ResourceNotFound",
        "The Resource 'Microsoft.ContainerInstance/containerGroups/"
            + name
            + "' under resource group '"
            + resourceGroup
            + "' was not found.");
  }

  static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    respond(exchange, status, body);
  }

  static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    exchange.getResponseHeaders().add("x-ms-request-id", UUID.randomUUID().toString());
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String operationUrl(String location, String kind, String id) {
    return endpoint()
        + "subscriptions/"
        + subscription
        + PROVIDER
        + "/locations/"
        + location
        + "/"
        + kind
        + "/"
        + id
        + "?api-version="
        + API_VERSION;
  }

  private static String key(String resourceGroup, String name) {
    return resourceGroup.toLowerCase(java.util.Locale.ROOT) + "/" + name;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      query.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  /** Requests with a method and a path containing {@code pathPart}. */
  public List<RecordedRequest> requests(String method, String pathPart) {
    List<RecordedRequest> matching = new ArrayList<>();
    for (RecordedRequest r : requests) {
      if (r.method().equals(method) && r.path().contains(pathPart)) {
        matching.add(r);
      }
    }
    return matching;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    groups.values().forEach(g -> runtime.stop(g));
  }
}
