package io.hodei.credentials.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * The Secrets Manager backend against a wire-level fake of its JSON 1.1 protocol: request shapes,
 * answers and error codes as in the Secrets Manager API reference, with the real SDK.
 */
class AwsSecretsManagerBackendTest {

  private static final String V1 = "a1b2c3d4-5678-90ab-cdef-111111111111";
  private static final String V2 = "a1b2c3d4-5678-90ab-cdef-222222222222";
  private static final String JSON_11 = "application/x-amz-json-1.1";

  private WireMockServer aws;
  private AwsSecretsManagerBackend backend;

  @BeforeEach
  void start() {
    aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    aws.start();
    backend =
        new AwsSecretsManagerBackend(
            AwsSecretsManagerSettings.of(Region.EU_WEST_1)
                .withEndpoint(URI.create("http://127.0.0.1:" + aws.port()))
                .withCredentials(() -> AwsBasicCredentials.create("AKIDEXAMPLE", "example-key"))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)));
  }

  @AfterEach
  void stop() {
    backend.close();
    aws.stop();
  }

  private void answer(String target, ResponseDefinitionBuilder response) {
    aws.stubFor(
        post(urlEqualTo("/"))
            .withHeader("X-Amz-Target", equalTo("secretsmanager." + target))
            .willReturn(response));
  }

  private static ResponseDefinitionBuilder ok(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", JSON_11).withBody(body);
  }

  private static ResponseDefinitionBuilder error(int status, String type, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", JSON_11)
        .withHeader("x-amzn-ErrorType", type)
        .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  private static String value(String secretString, String versionId, String... stages) {
    return """
        {"ARN":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/ecs-deployer-AbCdEf",
         "Name":"prod/ecs-deployer","VersionId":"%s","SecretString":%s,
         "VersionStages":[%s],"CreatedDate":1.735689600E9}
        """
        .formatted(
            versionId,
            quoted(secretString),
            String.join(",", java.util.Arrays.stream(stages).map(s -> "\"" + s + "\"").toList()));
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static RequestPatternBuilder signedCall(String target) {
    return postRequestedFor(urlEqualTo("/"))
        .withHeader("X-Amz-Target", equalTo("secretsmanager." + target))
        .withHeader("Content-Type", equalTo(JSON_11))
        .withHeader(
            "Authorization",
            matching(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/secretsmanager/aws4_request,"
                    + " SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}"));
  }

  private static SecretReference ref(String text) {
    return SecretReference.parse(text);
  }

  @Test
  void jsonSecretBecomesFields() {
    answer(
        "GetSecretValue",
        ok(
            value(
                "{\"username\":\"deployer\",\"password\":\"example\",\"port\":5432}",
                V1,
                "AWSCURRENT")));

    Secret secret = backend.read(ref("aws-sm:prod/ecs-deployer"));

    assertThat(secret.fields())
        .containsEntry("username", "deployer")
        .containsEntry("password", "example")
        .containsEntry("port", "5432");
    assertThat(secret.version()).isEqualTo(V1);
    assertThat(secret.lease()).isEmpty();
    aws.verify(
        signedCall("GetSecretValue")
            .withRequestBody(
                equalToJson(
                    "{\"SecretId\":\"prod/ecs-deployer\",\"VersionStage\":\"AWSCURRENT\"}")));
  }

  @Test
  void plainStringBecomesValueField() {
    answer("GetSecretValue", ok(value("ghp_exampletoken", V1, "AWSCURRENT")));

    Secret secret = backend.read(ref("aws-sm:ci/github-token"));

    assertThat(secret.fields())
        .containsOnlyKeys("value")
        .containsEntry("value", "ghp_exampletoken");
  }

  @Test
  void pinnedVersionIsAskedById() {
    answer("GetSecretValue", ok(value("old", V1, "AWSPREVIOUS")));

    Secret secret = backend.read(ref("aws-sm:prod/ecs-deployer@" + V1));

    assertThat(secret.version()).isEqualTo(V1);
    aws.verify(
        signedCall("GetSecretValue")
            .withRequestBody(
                equalToJson("{\"SecretId\":\"prod/ecs-deployer\",\"VersionId\":\"" + V1 + "\"}")));
  }

  @Test
  void pendingVersionIsNotServed() {
    answer("GetSecretValue", ok(value("next", V2, "AWSPENDING")));

    assertThatThrownBy(() -> backend.read(ref("aws-sm:prod/ecs-deployer@" + V2)))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("AWSPENDING");
  }

  @Test
  void rotationKeepsServingCurrentUntilTheNewVersionIsCurrent() {
    // Rotation under way: createSecret staged V2 as AWSPENDING, V1 is still AWSCURRENT.
    answer("GetSecretValue", ok(value("{\"password\":\"one\"}", V1, "AWSCURRENT")));
    answer(
        "DescribeSecret",
        ok(
            """
            {"ARN":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf",
             "Name":"prod/db","RotationEnabled":true,
             "RotationLambdaARN":"arn:aws:lambda:eu-west-1:123456789012:function:rotate",
             "RotationRules":{"AutomaticallyAfterDays":30},
             "LastRotatedDate":1.7356896E9,"NextRotationDate":1.7382816E9,
             "VersionIdsToStages":{"%s":["AWSCURRENT"],"%s":["AWSPENDING"]}}
            """
                .formatted(V1, V2)));

    Secret during = backend.read(ref("aws-sm:prod/db"));
    RotationStatus status = backend.rotation(ref("aws-sm:prod/db"));

    assertThat(during.version()).isEqualTo(V1);
    assertThat(during.fields()).containsEntry("password", "one");
    assertThat(status.enabled()).isTrue();
    assertThat(status.currentVersion()).contains(V1);
    assertThat(status.pendingVersion()).contains(V2);
    assertThat(status.nextRotation()).contains(Instant.ofEpochSecond(1738281600L));
    aws.verify(
        signedCall("DescribeSecret").withRequestBody(equalToJson("{\"SecretId\":\"prod/db\"}")));

    // finishSecret moved AWSCURRENT to V2.
    answer("GetSecretValue", ok(value("{\"password\":\"two\"}", V2, "AWSCURRENT")));
    Secret after = backend.read(ref("aws-sm:prod/db"));

    assertThat(after.version()).isEqualTo(V2).isNotEqualTo(during.version());
    assertThat(after.fields()).containsEntry("password", "two");
  }

  @Test
  void missingSecretIsNotFound() {
    assertKind(
        error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret."),
        Kind.NOT_FOUND);
  }

  @Test
  void accessDeniedIsDenied() {
    assertKind(error(400, "AccessDeniedException", "not authorized"), Kind.DENIED);
  }

  @Test
  void unknownKeyIsUnauthenticated() {
    assertKind(
        error(
            400,
            "UnrecognizedClientException",
            "The security token included in the request is invalid."),
        Kind.UNAUTHENTICATED);
  }

  @Test
  void throttlingIsThrottled() {
    assertKind(error(400, "ThrottlingException", "Rate exceeded"), Kind.THROTTLED);
  }

  @Test
  void internalErrorIsUnavailable() {
    assertKind(
        error(500, "InternalServiceError", "An error occurred on the server side."),
        Kind.UNAVAILABLE);
  }

  @Test
  void deletedSecretIsInvalid() {
    assertKind(
        error(
            400,
            "InvalidRequestException",
            "You can't perform this operation on the secret because it was marked for deletion."),
        Kind.INVALID);
  }

  @Test
  void slowAnswerIsTimeout() {
    assertKind(ok(value("x", V1, "AWSCURRENT")).withFixedDelay(3000), Kind.TIMEOUT);
  }

  @Test
  void connectionResetIsUnavailable() {
    assertKind(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), Kind.UNAVAILABLE);
  }

  @Test
  void failingCredentialSupplierIsUnauthenticated() {
    backend.close();
    backend =
        new AwsSecretsManagerBackend(
            AwsSecretsManagerSettings.of(Region.EU_WEST_1)
                .withEndpoint(URI.create("http://127.0.0.1:" + aws.port()))
                .withCredentials(
                    () -> {
                      throw new IllegalStateException("no key handed over yet");
                    }));

    assertThatThrownBy(() -> backend.read(ref("aws-sm:prod/db")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED));
    aws.verify(0, postRequestedFor(urlEqualTo("/")));
  }

  @Test
  void valuesHaveNoLeaseToRenew() {
    answer("GetSecretValue", ok(value("x", V1, "AWSCURRENT")));
    Secret secret = backend.read(ref("aws-sm:prod/db"));

    backend.revoke(secret);
    assertThatThrownBy(() -> backend.renew(secret))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
  }

  private void assertKind(ResponseDefinitionBuilder response, Kind kind) {
    answer("GetSecretValue", response);

    assertThatThrownBy(() -> backend.read(ref("aws-sm:prod/db")))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessageContaining("aws-sm:prod/db")
        .hasMessageNotContaining("example-key");
    // One attempt: no retries inside the backend.
    aws.verify(1, postRequestedFor(urlEqualTo("/")));
  }
}
