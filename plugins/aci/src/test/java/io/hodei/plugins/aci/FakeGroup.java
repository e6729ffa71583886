package io.hodei.plugins.aci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container group held by {@link FakeArm}, with the three layers of state Resource Manager
 * reports: provisioning state, group instance state and the container's current state. A {@link
 * FakeArm.ContainerRuntime} moves it along as a real node would.
 */
public final class FakeGroup {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String subscription;
  private final String resourceGroup;
  private final String name;
  private final String location;
  private final ObjectNode request;
  private final Map<String, String> tags;
  private final Map<String, String> environment;
  private final Map<String, String> secureNames;

  private String provisioningState = "Creating";
  private String groupState = "Pending";
  private String containerState = "Waiting";
  private String detailStatus = "";
  private Integer exitCode;
  private Instant startTime;
  private Instant finishTime;
  private final List<Map<String, String>> events = new ArrayList<>();
  private Instant deletedAt;
  private String failureCode;
  private String failureMessage;

  FakeGroup(String subscription, String resourceGroup, String name, ObjectNode request) {
    this.subscription = subscription;
    this.resourceGroup = resourceGroup;
    this.name = name;
    this.request = request;
    this.location = request.path("location").asText();
    this.tags = new LinkedHashMap<>();
    request
        .path("tags")
        .fields()
        .forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    this.environment = new LinkedHashMap<>();
    this.secureNames = new LinkedHashMap<>();
    for (JsonNode variable : container().path("properties").path("environmentVariables")) {
      String key = variable.path("name").asText();
      if (variable.has("secureValue")) {
        environment.put(key, variable.path("secureValue").asText());
        secureNames.put(key, "secure");
      } else {
        environment.put(key, variable.path("value").asText());
      }
    }
  }

  // ---- What a test reads ----

  public String name() {
    return name;
  }

  public String resourceGroup() {
    return resourceGroup;
  }

  /** The environment the container runs with, secure values included (a node sees them). */
  public Map<String, String> environment() {
    return Map.copyOf(environment);
  }

  /** The names of the variables sent as secure values. */
  public java.util.Set<String> secureVariables() {
    return java.util.Set.copyOf(secureNames.keySet());
  }

  public Map<String, String> tags() {
    return Map.copyOf(tags);
  }

  public String image() {
    return container().path("properties").path("image").asText();
  }

  public List<String> command() {
    List<String> command = new ArrayList<>();
    container().path("properties").path("command").forEach(c -> command.add(c.asText()));
    return command;
  }

  public double cpu() {
    return requests().path("cpu").asDouble();
  }

  public double memoryInGb() {
    return requests().path("memoryInGB").asDouble();
  }

  /** The request body as the provider sent it. */
  public ObjectNode request() {
    return request.deepCopy();
  }

  public synchronized String provisioningState() {
    return provisioningState;
  }

  public synchronized String containerState() {
    return containerState;
  }

  // ---- What a runtime (the node) reports ----

  /** The container started: provisioning succeeds, as ACI reports it once containers run. */
  public void running() {
    synchronized (this) {
      if (isDeleting()) {
        return;
      }
      provisioningState = "Succeeded";
      groupState = "Running";
      containerState = "Running";
      detailStatus = "";
      startTime = Instant.now();
      event("Normal", "Started", "Started container");
    }
  }

  /** The container ended by itself with {@code code}; restart policy Never keeps it ended. */
  public void exited(int code) {
    synchronized (this) {
      if (isDeleting()) {
        return;
      }
      provisioningState = "Succeeded";
      containerState = "Terminated";
      exitCode = code;
      detailStatus = code == 0 ? "Completed" : "Error";
      groupState = code == 0 ? "Succeeded" : "Failed";
      finishTime = Instant.now();
      event("Normal", "Killing", "Killing container with id " + name);
    }
  }

  /** The node could not start the group, e.g. the image cannot be pulled. */
  public void failedToStart(String code, String message) {
    synchronized (this) {
      provisioningState = "Failed";
      groupState = "Failed";
      failureCode = code;
      failureMessage = message;
      event("Warning", "Failed", message);
    }
  }

  // ---- Used by the fake ----

  synchronized boolean isDeleting() {
    return "Deleting".equals(provisioningState);
  }

  synchronized void deleting(Instant goneAt) {
    provisioningState = "Deleting";
    deletedAt = goneAt;
  }

  synchronized boolean deletedBy(Instant now) {
    return deletedAt != null && !now.isBefore(deletedAt);
  }

  synchronized Optional<Map<String, String>> failure() {
    return failureCode == null
        ? Optional.empty()
        : Optional.of(Map.of("code", failureCode, "message", failureMessage));
  }

  String subscription() {
    return subscription;
  }

  String location() {
    return location;
  }

  /** The resource as Resource Manager returns it; secure values are never returned. */
  synchronized ObjectNode toJson(boolean withInstanceView) {
    ObjectNode body = JSON.createObjectNode();
    body.put(
        "id",
        "/subscriptions/"
            + subscription
            + "/resourceGroups/"
            + resourceGroup
            + "/providers/Microsoft.ContainerInstance/containerGroups/"
            + name);
    body.put("name", name);
    body.put("type", "Microsoft.ContainerInstance/containerGroups");
    body.put("location", location);
    ObjectNode tagsNode = body.putObject("tags");
    tags.forEach(tagsNode::put);
    ObjectNode properties = request.path("properties").deepCopy();
    properties.put("provisioningState", provisioningState);
    ArrayNode containers = properties.putArray("containers");
    ObjectNode container = container().deepCopy();
    ObjectNode containerProperties = (ObjectNode) container.path("properties");
    ArrayNode variables = containerProperties.putArray("environmentVariables");
    environment.forEach(
        (key, value) -> {
          ObjectNode variable = variables.addObject().put("name", key);
          if (!secureNames.containsKey(key)) {
            variable.put("value", value);
          }
        });
    if (withInstanceView) {
      ObjectNode view = containerProperties.putObject("instanceView");
      view.put("restartCount", 0);
      ObjectNode current = view.putObject("currentState");
      current.put("state", containerState);
      if (startTime != null) {
        current.put("startTime", startTime.toString());
      }
      if (exitCode != null) {
        current.put("exitCode", exitCode);
      }
      if (finishTime != null) {
        current.put("finishTime", finishTime.toString());
      }
      current.put("detailStatus", detailStatus);
      view.set("events", eventsJson());
      ObjectNode groupView = properties.putObject("instanceView");
      groupView.put("state", groupState);
      groupView.set("events", JSON.createArrayNode());
    }
    containers.add(container);
    body.set("properties", properties);
    return body;
  }

  private ArrayNode eventsJson() {
    ArrayNode array = JSON.createArrayNode();
    for (Map<String, String> event : events) {
      ObjectNode node = array.addObject();
      node.put("count", 1);
      node.put("firstTimestamp", event.get("at"));
      node.put("lastTimestamp", event.get("at"));
      node.put("name", event.get("name"));
      node.put("message", event.get("message"));
      node.put("type", event.get("type"));
    }
    return array;
  }

  private void event(String type, String eventName, String message) {
    events.add(
        Map.of(
            "type", type, "name", eventName, "message", message, "at", Instant.now().toString()));
  }

  private JsonNode container() {
    return request.path("properties").path("containers").path(0);
  }

  private JsonNode requests() {
    return container().path("properties").path("resources").path("requests");
  }
}
