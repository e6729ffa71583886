package io.hodei.credentials.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where the Secrets Manager backend connects and with which AWS credentials.
 *
 * @param region the secrets' region
 * @param endpointOverride another endpoint than AWS's own (a VPC endpoint, a test fake)
 * @param credentials the broker's AWS credentials
 * @param connectTimeout how long to wait for a connection
 * @param callTimeout how long one call may take in all
 */
public record AwsSecretsManagerSettings(
    Region region,
    Optional<URI> endpointOverride,
    AwsCredentialsProvider credentials,
    Duration connectTimeout,
    Duration callTimeout) {

  public AwsSecretsManagerSettings {
    Objects.requireNonNull(region, "the AWS region of the secrets is required, e.g. eu-west-1");
    Objects.requireNonNull(endpointOverride, "endpointOverride: use Optional.empty() for AWS's");
    Objects.requireNonNull(credentials, "AWS credentials are required");
    if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    if (callTimeout == null || callTimeout.compareTo(connectTimeout) < 0) {
      throw new IllegalArgumentException(
          "callTimeout must be at least connectTimeout: " + callTimeout);
    }
  }

  /** The default credential chain (environment, profile, instance role), 5 s / 30 s timeouts. */
  public static AwsSecretsManagerSettings of(Region region) {
    return new AwsSecretsManagerSettings(
        region,
        Optional.empty(),
        DefaultCredentialsProvider.builder().build(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }

  /**
   * Credentials handed over by reference: the supplier is asked at each signing, so a rotated key
   * is picked up without rebuilding the backend.
   */
  public AwsSecretsManagerSettings withCredentials(Supplier<AwsCredentials> supplier) {
    Objects.requireNonNull(supplier, "a supplier of AWS credentials is required");
    return new AwsSecretsManagerSettings(
        region, endpointOverride, supplier::get, connectTimeout, callTimeout);
  }

  public AwsSecretsManagerSettings withEndpoint(URI endpoint) {
    return new AwsSecretsManagerSettings(
        region, Optional.of(endpoint), credentials, connectTimeout, callTimeout);
  }

  public AwsSecretsManagerSettings withTimeouts(Duration connect, Duration call) {
    return new AwsSecretsManagerSettings(region, endpointOverride, credentials, connect, call);
  }
}
