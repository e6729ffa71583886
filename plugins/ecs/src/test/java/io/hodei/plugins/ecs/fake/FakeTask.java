package io.hodei.plugins.ecs.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One task in the fake: what RunTask asked for and where ECS's lifecycle has taken it
 * (PROVISIONING, PENDING, RUNNING, STOPPING, STOPPED). Thread-safe.
 */
public final class FakeTask {

  private final String arn;
  private final String cluster;
  private final String taskDefinitionArn;
  private final String image;
  private final String startedBy;
  private final Map<String, String> tags;
  private final Map<String, String> environment;
  private final ObjectNode request;
  private final long createdAtMillis;
  private String lastStatus = "PROVISIONING";
  private String desiredStatus = "RUNNING";
  private String stopCode;
  private String stoppedReason;
  private String containerReason;
  private Integer exitCode;
  private long changedAtNanos = System.nanoTime();

  FakeTask(
      String arn,
      String cluster,
      String taskDefinitionArn,
      String image,
      String startedBy,
      Map<String, String> tags,
      Map<String, String> environment,
      ObjectNode request) {
    this.arn = arn;
    this.cluster = cluster;
    this.taskDefinitionArn = taskDefinitionArn;
    this.image = image;
    this.startedBy = startedBy;
    this.tags = new LinkedHashMap<>(tags);
    this.environment = Map.copyOf(environment);
    this.request = request;
    this.createdAtMillis = System.currentTimeMillis();
  }

  public String arn() {
    return arn;
  }

  public String cluster() {
    return cluster;
  }

  public String taskDefinitionArn() {
    return taskDefinitionArn;
  }

  /** The worker container's image, from the task definition. */
  public String image() {
    return image;
  }

  public String startedBy() {
    return startedBy;
  }

  public synchronized Map<String, String> tags() {
    return Map.copyOf(tags);
  }

  /** The worker container's environment overrides, as RunTask carried them. */
  public Map<String, String> environment() {
    return environment;
  }

  /** The RunTask request as received. */
  public ObjectNode request() {
    return request.deepCopy();
  }

  public synchronized String lastStatus() {
    return lastStatus;
  }

  public synchronized String desiredStatus() {
    return desiredStatus;
  }

  public synchronized Optional<String> stoppedReason() {
    return Optional.ofNullable(stoppedReason);
  }

  public synchronized Optional<String> stopCode() {
    return Optional.ofNullable(stopCode);
  }

  synchronized void moveTo(String status) {
    lastStatus = status;
    changedAtNanos = System.nanoTime();
  }

  synchronized long millisInStatus() {
    return (System.nanoTime() - changedAtNanos) / 1_000_000;
  }

  /** Asks the task to stop; the lifecycle takes it through STOPPING to STOPPED. */
  synchronized void requestStop(String code, String reason, String container, Integer exit) {
    if (!"RUNNING".equals(desiredStatus)) {
      return;
    }
    desiredStatus = "STOPPED";
    stopCode = code;
    stoppedReason = reason;
    containerReason = container;
    exitCode = exit;
  }

  /** The task as DescribeTasks, RunTask and StopTask show it. */
  synchronized ObjectNode toJson(boolean withTags) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode task = json.objectNode();
    task.put("taskArn", arn);
    task.put("clusterArn", FakeEcs.clusterArn(cluster));
    task.put("taskDefinitionArn", taskDefinitionArn);
    task.put("lastStatus", lastStatus);
    task.put("desiredStatus", desiredStatus);
    task.put("startedBy", startedBy);
    task.put("createdAt", createdAtMillis / 1000.0);
    copy(request, task, "launchType");
    copy(request, task, "platformVersion");
    if (request.has("capacityProviderStrategy")) {
      task.put(
          "capacityProviderName",
          request.get("capacityProviderStrategy").get(0).path("capacityProvider").asText());
    }
    if (stopCode != null) {
      task.put("stopCode", stopCode);
    }
    if (stoppedReason != null) {
      task.put("stoppedReason", stoppedReason);
    }
    if (request.has("overrides")) {
      task.set("overrides", request.get("overrides").deepCopy());
    }
    ArrayNode containers = task.putArray("containers");
    ObjectNode worker = containers.addObject();
    worker.put("containerArn", arn.replace(":task/", ":container/") + "/worker");
    worker.put("taskArn", arn);
    worker.put("name", "worker");
    worker.put("image", image);
    worker.put("lastStatus", "STOPPED".equals(lastStatus) ? "STOPPED" : lastStatus);
    if (exitCode != null && "STOPPED".equals(lastStatus)) {
      worker.put("exitCode", exitCode);
    }
    if (containerReason != null && "STOPPED".equals(lastStatus)) {
      worker.put("reason", containerReason);
    }
    if (withTags) {
      ArrayNode tagList = task.putArray("tags");
      tags.forEach((k, v) -> tagList.addObject().put("key", k).put("value", v));
    }
    return task;
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field).deepCopy());
    }
  }
}
