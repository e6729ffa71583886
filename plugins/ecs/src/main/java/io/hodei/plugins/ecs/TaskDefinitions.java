package io.hodei.plugins.ecs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * The task definitions of one provider instance: registered once per distinct content and reused
 * (found again by family name and content-hash tag after a restart), and deregistered once no task
 * uses them and this instance has not used them for a while.
 */
final class TaskDefinitions {

  private static final Logger LOG = Logger.getLogger(TaskDefinitions.class.getName());

  private final String instanceName;
  private final AwsConnection connection;
  private final Map<String, String> ownerTags;
  private final String familyPrefix;
  private final Clock clock;
  private final Duration idleBeforeDeregistering;
  private final Map<String, String> arnByHash = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

  TaskDefinitions(
      String instanceName,
      AwsConnection connection,
      Map<String, String> ownerTags,
      String familyPrefix,
      Clock clock,
      Duration idleBeforeDeregistering) {
    this.instanceName = instanceName;
    this.connection = connection;
    this.ownerTags = Map.copyOf(ownerTags);
    this.familyPrefix = familyPrefix;
    this.clock = clock;
    this.idleBeforeDeregistering = idleBeforeDeregistering;
  }

  /** The family names of this instance start with this. */
  String familyPrefix() {
    return familyPrefix;
  }

  /** The ARN of an ACTIVE task definition holding {@code content}, registering one if needed. */
  String arnFor(TaskDefinitionContent content) {
    String hash = content.hash();
    String arn = arnByHash.get(hash);
    if (arn == null) {
      synchronized (locks.computeIfAbsent(hash, h -> new Object())) {
        arn = arnByHash.get(hash);
        if (arn == null) {
          arn = findOrRegister(content, hash);
          arnByHash.put(hash, arn);
        }
      }
    }
    lastUsed.put(arn, clock.instant());
    return arn;
  }

  /** Drops a remembered ARN that ECS no longer accepts, so the next lookup asks ECS again. */
  void forget(String arn) {
    arnByHash.values().remove(arn);
    lastUsed.remove(arn);
  }

  private String findOrRegister(TaskDefinitionContent content, String hash) {
    String family = content.family(familyPrefix);
    Optional<TaskDefinition> existing =
        connection.call(
            "looking up task definition " + family,
            ecs -> {
              try {
                var found =
                    ecs.describeTaskDefinition(
                        r -> r.taskDefinition(family).include(TaskDefinitionField.TAGS));
                return Optional.of(found.taskDefinition())
                    .filter(d -> d.status() == TaskDefinitionStatus.ACTIVE)
                    .filter(
                        d ->
                            hash.equals(
                                OwnershipTags.asMap(found.tags()).get(OwnershipTags.CONTENT_HASH)));
              } catch (ClientException e) {
                // ECS's answer for a family without an ACTIVE revision.
                return Optional.empty();
              }
            });
    if (existing.isPresent()) {
      return existing.get().taskDefinitionArn();
    }
    Map<String, String> tags = new java.util.HashMap<>(ownerTags);
    tags.put(OwnershipTags.CONTENT_HASH, hash);
    String arn =
        connection.call(
            "registering task definition " + family,
            ecs ->
                ecs.registerTaskDefinition(content.request(family, tags))
                    .taskDefinition()
                    .taskDefinitionArn());
    LOG.info("provider instance '" + instanceName + "': registered task definition " + arn);
    return arn;
  }

  /**
   * Deregisters this instance's ACTIVE task definitions that no task in {@code inUse} runs and that
   * were not handed out within the idle time.
   *
   * @return the ARNs deregistered
   */
  List<String> sweep(Set<String> inUse) {
    Instant idleSince = clock.instant().minus(idleBeforeDeregistering);
    List<String> families = new ArrayList<>();
    connection.call(
        "listing task definition families",
        ecs -> {
          ecs.listTaskDefinitionFamiliesPaginator(
                  r -> r.familyPrefix(familyPrefix).status(TaskDefinitionFamilyStatus.ACTIVE))
              .families()
              .forEach(families::add);
          return null;
        });
    List<String> deregistered = new ArrayList<>();
    for (String family : families) {
      if (!family.startsWith(familyPrefix)) {
        continue;
      }
      List<String> arns = new ArrayList<>();
      connection.call(
          "listing task definitions of " + family,
          ecs -> {
            ecs.listTaskDefinitionsPaginator(
                    r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
                .taskDefinitionArns()
                .forEach(arns::add);
            return null;
          });
      for (String arn : arns) {
        Instant used = lastUsed.get(arn);
        if (inUse.contains(arn) || (used != null && used.isAfter(idleSince))) {
          continue;
        }
        connection.call(
            "deregistering task definition " + arn,
            ecs -> ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn)));
        arnByHash.values().remove(arn);
        lastUsed.remove(arn);
        deregistered.add(arn);
      }
    }
    if (!deregistered.isEmpty()) {
      LOG.info(
          "provider instance '"
              + instanceName
              + "': deregistered unused task definitions "
              + deregistered);
    }
    return deregistered;
  }
}
