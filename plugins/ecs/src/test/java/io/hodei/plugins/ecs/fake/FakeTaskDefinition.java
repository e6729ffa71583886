package io.hodei.plugins.ecs.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One registered task definition revision in the fake.
 *
 * @param arn its ARN, {@code ...:task-definition/<family>:<revision>}
 * @param family its family
 * @param revision its revision number, from 1
 * @param content the RegisterTaskDefinition request without its tags
 * @param tags its tags
 */
public record FakeTaskDefinition(
    String arn, String family, int revision, ObjectNode content, Map<String, String> tags) {}
