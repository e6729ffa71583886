package io.hodei.plugins.ecs.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The state and operations of the fake: task definitions with revisions and status, tasks, and the
 * ECS API operations over them, with the checks and error codes the ECS API reference documents.
 */
final class FakeEcsApi {

  /** An error answer: ECS's {@code __type} and message, with its HTTP status. */
  static final class ApiError extends RuntimeException {
    final int status;
    final String type;

    ApiError(int status, String type, String message) {
      super(message);
      this.status = status;
      this.type = type;
    }

    static ApiError client(String type, String message) {
      return new ApiError(400, type, message);
    }
  }

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String cluster;
  private final Map<String, List<FakeTaskDefinition>> families = new LinkedHashMap<>();
  private final Map<String, String> statusByArn = new ConcurrentHashMap<>();
  private final Map<String, FakeTask> tasks = new ConcurrentHashMap<>();
  private final Map<String, String> taskByClientToken = new ConcurrentHashMap<>();
  private volatile Optional<String> runTaskFailure = Optional.empty();

  FakeEcsApi(String cluster) {
    this.cluster = cluster;
  }

  Map<String, FakeTask> tasks() {
    return tasks;
  }

  synchronized List<FakeTaskDefinition> revisions() {
    return families.values().stream().flatMap(List::stream).toList();
  }

  String statusOf(String taskDefinitionArn) {
    return statusByArn.get(taskDefinitionArn);
  }

  void failRunTasks(Optional<String> reason) {
    runTaskFailure = reason;
  }

  JsonNode handle(String operation, ObjectNode body) {
    Map<String, Function<ObjectNode, JsonNode>> operations =
        Map.of(
            "RegisterTaskDefinition", this::register,
            "DescribeTaskDefinition", this::describeTaskDefinition,
            "DeregisterTaskDefinition", this::deregister,
            "ListTaskDefinitionFamilies", this::listFamilies,
            "ListTaskDefinitions", this::listTaskDefinitions,
            "RunTask", this::runTask,
            "DescribeTasks", this::describeTasks,
            "ListTasks", this::listTasks,
            "StopTask", this::stopTask,
            "DescribeClusters", this::describeClusters);
    Function<ObjectNode, JsonNode> op = operations.get(operation);
    if (op == null) {
      throw ApiError.client("UnknownOperationException", "Unknown operation " + operation);
    }
    return op.apply(body);
  }

  // ---- Task definitions ----

  private synchronized JsonNode register(ObjectNode body) {
    String family = required(body, "family");
    if (!family.matches("[A-Za-z0-9_-]{1,255}")) {
      throw ApiError.client("ClientException", "Family contains invalid characters");
    }
    if (!body.has("containerDefinitions") || body.get("containerDefinitions").isEmpty()) {
      throw ApiError.client("ClientException", "Container list cannot be empty.");
    }
    boolean fargate = contains(body.path("requiresCompatibilities"), "FARGATE");
    if (fargate) {
      if (!"awsvpc".equals(body.path("networkMode").asText())) {
        throw ApiError.client("ClientException", "Fargate only supports network mode 'awsvpc'.");
      }
      int cpu = body.path("cpu").asInt(-1);
      int memory = body.path("memory").asInt(-1);
      if (!FargateTable.valid(cpu, memory)) {
        throw ApiError.client(
            "ClientException",
            "No Fargate configuration exists for given values: "
                + cpu
                + " CPU, "
                + memory
                + " memory. See the Amazon ECS documentation for the valid values.");
      }
    }
    List<FakeTaskDefinition> revisions = families.computeIfAbsent(family, f -> new ArrayList<>());
    int number = revisions.size() + 1;
    String arn = FakeEcs.arn("task-definition/" + family + ":" + number);
    ObjectNode content = body.deepCopy();
    content.remove("tags");
    FakeTaskDefinition revision =
        new FakeTaskDefinition(arn, family, number, content, tagMap(body.path("tags")));
    revisions.add(revision);
    statusByArn.put(arn, "ACTIVE");
    ObjectNode answer = JSON.objectNode();
    answer.set("taskDefinition", definitionJson(revision));
    answer.set("tags", tagList(revision.tags()));
    return answer;
  }

  private synchronized JsonNode describeTaskDefinition(ObjectNode body) {
    FakeTaskDefinition revision = resolve(required(body, "taskDefinition"), true);
    ObjectNode answer = JSON.objectNode();
    answer.set("taskDefinition", definitionJson(revision));
    if (contains(body.path("include"), "TAGS")) {
      answer.set("tags", tagList(revision.tags()));
    }
    return answer;
  }

  private synchronized JsonNode deregister(ObjectNode body) {
    String reference = required(body, "taskDefinition");
    if (!reference.contains(":")) {
      throw ApiError.client(
          "ClientException", "Task definition revision must be given: family:revision or an ARN.");
    }
    FakeTaskDefinition revision = resolve(reference, false);
    statusByArn.put(revision.arn(), "INACTIVE");
    ObjectNode answer = JSON.objectNode();
    answer.set("taskDefinition", definitionJson(revision));
    return answer;
  }

  private synchronized JsonNode listFamilies(ObjectNode body) {
    String prefix = body.path("familyPrefix").asText("");
    String status = body.path("status").asText("ACTIVE");
    List<String> names = new ArrayList<>();
    families.forEach(
        (family, revisions) -> {
          boolean active =
              revisions.stream().anyMatch(r -> "ACTIVE".equals(statusByArn.get(r.arn())));
          boolean wanted = status.equals("ALL") || (status.equals("ACTIVE") == active);
          if (family.startsWith(prefix) && wanted) {
            names.add(family);
          }
        });
    return page(body, names, "families");
  }

  private synchronized JsonNode listTaskDefinitions(ObjectNode body) {
    String family = body.path("familyPrefix").asText(null);
    String status = body.path("status").asText("ACTIVE");
    List<String> arns = new ArrayList<>();
    families.forEach(
        (name, revisions) -> {
          if (family == null || family.equals(name)) {
            revisions.stream()
                .filter(r -> status.equals(statusByArn.get(r.arn())))
                .forEach(r -> arns.add(r.arn()));
          }
        });
    return page(body, arns, "taskDefinitionArns");
  }

  /** A family (its latest ACTIVE revision), {@code family:revision}, or an ARN. */
  private FakeTaskDefinition resolve(String reference, boolean familyMeansLatestActive) {
    String name =
        reference.startsWith("arn:") ? reference.substring(reference.indexOf('/') + 1) : reference;
    int colon = name.lastIndexOf(':');
    String family = colon < 0 ? name : name.substring(0, colon);
    List<FakeTaskDefinition> revisions = families.getOrDefault(family, List.of());
    Optional<FakeTaskDefinition> found;
    if (colon < 0 && familyMeansLatestActive) {
      found =
          revisions.stream()
              .filter(r -> "ACTIVE".equals(statusByArn.get(r.arn())))
              .reduce((first, second) -> second);
    } else {
      int number = colon < 0 ? -1 : Integer.parseInt(name.substring(colon + 1));
      found = revisions.stream().filter(r -> r.revision() == number).findFirst();
    }
    return found.orElseThrow(
        () -> ApiError.client("ClientException", "Unable to describe task definition."));
  }

  private ObjectNode definitionJson(FakeTaskDefinition revision) {
    ObjectNode definition = revision.content().deepCopy();
    definition.put("taskDefinitionArn", revision.arn());
    definition.put("family", revision.family());
    definition.put("revision", revision.revision());
    definition.put("status", statusByArn.get(revision.arn()));
    return definition;
  }

  // ---- Tasks ----

  private JsonNode runTask(ObjectNode body) {
    checkCluster(body);
    if (body.has("launchType") && body.has("capacityProviderStrategy")) {
      throw ApiError.client(
          "InvalidParameterException",
          "Specifying both a launch type and capacity provider strategy is not supported.");
    }
    String startedBy = body.path("startedBy").asText("");
    if (startedBy.length() > 36 || !startedBy.matches("[A-Za-z0-9_-]*")) {
      throw ApiError.client("InvalidParameterException", "startedBy is invalid.");
    }
    if (body.path("tags").size() > 50) {
      throw ApiError.client("InvalidParameterException", "Too many tags.");
    }
    String token = body.path("clientToken").asText(null);
    if (token != null && taskByClientToken.containsKey(token)) {
      // Idempotent: the same request again answers with the task it started.
      return tasksAnswer(List.of(tasks.get(taskByClientToken.get(token))), List.of(), false);
    }
    FakeTaskDefinition definition;
    synchronized (this) {
      definition = resolve(required(body, "taskDefinition"), true);
      if (!"ACTIVE".equals(statusByArn.get(definition.arn()))) {
        throw ApiError.client("ClientException", "TaskDefinition is inactive");
      }
    }
    if ("awsvpc".equals(definition.content().path("networkMode").asText())
        && body.path("networkConfiguration")
            .path("awsvpcConfiguration")
            .path("subnets")
            .isEmpty()) {
      throw ApiError.client(
          "InvalidParameterException",
          "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    Map<String, String> environment = new LinkedHashMap<>();
    for (JsonNode override : body.path("overrides").path("containerOverrides")) {
      String name = override.path("name").asText();
      boolean known = false;
      for (JsonNode container : definition.content().path("containerDefinitions")) {
        known |= container.path("name").asText().equals(name);
      }
      if (!known) {
        throw ApiError.client(
            "InvalidParameterException",
            "Override for container named " + name + " is not a container in the TaskDefinition.");
      }
      for (JsonNode variable : override.path("environment")) {
        environment.put(variable.path("name").asText(), variable.path("value").asText());
      }
    }
    if (runTaskFailure.isPresent()) {
      ObjectNode failure = JSON.objectNode().put("reason", runTaskFailure.get());
      return tasksAnswer(List.of(), List.of(failure), false);
    }
    String arn =
        FakeEcs.arn("task/" + cluster + "/" + UUID.randomUUID().toString().replace("-", ""));
    FakeTask task =
        new FakeTask(
            arn,
            cluster,
            definition.arn(),
            definition.content().path("containerDefinitions").get(0).path("image").asText(),
            startedBy,
            tagMap(body.path("tags")),
            environment,
            body.deepCopy());
    tasks.put(arn, task);
    if (token != null) {
      taskByClientToken.put(token, arn);
    }
    return tasksAnswer(List.of(task), List.of(), false);
  }

  private JsonNode describeTasks(ObjectNode body) {
    checkCluster(body);
    boolean withTags = contains(body.path("include"), "TAGS");
    List<FakeTask> found = new ArrayList<>();
    List<ObjectNode> failures = new ArrayList<>();
    if (body.path("tasks").size() > 100) {
      throw ApiError.client(
          "InvalidParameterException", "Tasks cannot have more than 100 elements");
    }
    for (JsonNode reference : body.path("tasks")) {
      FakeTask task = find(reference.asText());
      if (task == null) {
        failures.add(JSON.objectNode().put("arn", reference.asText()).put("reason", "MISSING"));
      } else {
        found.add(task);
      }
    }
    return tasksAnswer(found, failures, withTags);
  }

  private JsonNode listTasks(ObjectNode body) {
    checkCluster(body);
    String desired = body.path("desiredStatus").asText("RUNNING");
    String startedBy = body.path("startedBy").asText(null);
    List<String> arns =
        tasks.values().stream()
            .filter(t -> t.desiredStatus().equals(desired))
            .filter(t -> startedBy == null || startedBy.equals(t.startedBy()))
            .map(FakeTask::arn)
            .sorted()
            .toList();
    return page(body, arns, "taskArns");
  }

  private JsonNode stopTask(ObjectNode body) {
    checkCluster(body);
    FakeTask task = find(required(body, "task"));
    if (task == null) {
      throw ApiError.client("InvalidParameterException", "The referenced task was not found.");
    }
    String reason = body.path("reason").asText("Task stopped by user");
    if (reason.length() > 255) {
      throw ApiError.client("InvalidParameterException", "Reason must be at most 255 characters.");
    }
    task.requestStop("UserInitiated", reason, null, 143);
    return JSON.objectNode().set("task", task.toJson(false));
  }

  private JsonNode describeClusters(ObjectNode body) {
    ObjectNode answer = JSON.objectNode();
    ArrayNode clusters = answer.putArray("clusters");
    ArrayNode failures = answer.putArray("failures");
    for (JsonNode name : body.path("clusters")) {
      if (name.asText().equals(cluster) || name.asText().equals(FakeEcs.clusterArn(cluster))) {
        clusters
            .addObject()
            .put("clusterArn", FakeEcs.clusterArn(cluster))
            .put("clusterName", cluster)
            .put("status", "ACTIVE");
      } else {
        failures.addObject().put("arn", FakeEcs.clusterArn(name.asText())).put("reason", "MISSING");
      }
    }
    return answer;
  }

  private FakeTask find(String reference) {
    FakeTask task = tasks.get(reference);
    if (task != null) {
      return task;
    }
    return tasks.values().stream()
        .filter(t -> t.arn().endsWith("/" + reference))
        .findFirst()
        .orElse(null);
  }

  private void checkCluster(ObjectNode body) {
    String name = body.path("cluster").asText("default");
    if (!name.equals(cluster) && !name.equals(FakeEcs.clusterArn(cluster))) {
      throw ApiError.client("ClusterNotFoundException", "Cluster not found.");
    }
  }

  private static ObjectNode tasksAnswer(
      List<FakeTask> found, List<ObjectNode> failures, boolean withTags) {
    ObjectNode answer = JSON.objectNode();
    ArrayNode list = answer.putArray("tasks");
    found.forEach(t -> list.add(t.toJson(withTags)));
    ArrayNode failureList = answer.putArray("failures");
    failures.forEach(failureList::add);
    return answer;
  }

  /** ECS pages lists with maxResults (default 100) and an opaque nextToken. */
  private static ObjectNode page(ObjectNode body, List<String> items, String field) {
    int max = body.path("maxResults").asInt(100);
    int from = body.has("nextToken") ? Integer.parseInt(body.get("nextToken").asText()) : 0;
    int to = Math.min(items.size(), from + max);
    ObjectNode answer = JSON.objectNode();
    ArrayNode list = answer.putArray(field);
    items.subList(from, to).forEach(list::add);
    if (to < items.size()) {
      answer.put("nextToken", Integer.toString(to));
    }
    return answer;
  }

  private static String required(JsonNode body, String field) {
    String value = body.path(field).asText("");
    if (value.isEmpty()) {
      throw ApiError.client("InvalidParameterException", field + " is required");
    }
    return value;
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (item.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  static Map<String, String> tagMap(JsonNode tags) {
    Map<String, String> map = new LinkedHashMap<>();
    for (JsonNode tag : tags) {
      String key = tag.path("key").asText();
      if (key.isEmpty() || key.length() > 128 || key.startsWith("aws:")) {
        throw ApiError.client("InvalidParameterException", "Invalid tag key: " + key);
      }
      map.put(key, tag.path("value").asText());
    }
    return map;
  }

  private static ArrayNode tagList(Map<String, String> tags) {
    ArrayNode list = JSON.arrayNode();
    tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
    return list;
  }

  /** The Fargate sizes, as the ECS documentation states them in ranges. */
  static final class FargateTable {
    private FargateTable() {}

    static boolean valid(int cpu, int memory) {
      return switch (cpu) {
        case 256 -> Set.of(512, 1024, 2048).contains(memory);
        case 512 -> memory >= 1024 && memory <= 4096 && memory % 1024 == 0;
        case 1024 -> memory >= 2048 && memory <= 8192 && memory % 1024 == 0;
        case 2048 -> memory >= 4096 && memory <= 16384 && memory % 1024 == 0;
        case 4096 -> memory >= 8192 && memory <= 30720 && memory % 1024 == 0;
        case 8192 -> memory >= 16384 && memory <= 61440 && memory % 4096 == 0;
        case 16384 -> memory >= 32768 && memory <= 122880 && memory % 8192 == 0;
        default -> false;
      };
    }
  }
}
