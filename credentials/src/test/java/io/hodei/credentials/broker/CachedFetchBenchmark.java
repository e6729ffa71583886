package io.hodei.credentials.broker;

import io.hodei.credentials.SecretReference;
import io.hodei.credentials.audit.AuditLog;
import io.hodei.credentials.policy.AccessPolicy;
import io.hodei.credentials.policy.Caller;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Prints p50 and p99 of cached fetches in process (target: p99 under 1 ms). A program, not a test,
 * so that a busy build machine cannot make the build flaky. Run it with the test classpath: {@code
 * java -cp <classes>:<test-classes>:<plugin-api jar>
 * io.hodei.credentials.broker.CachedFetchBenchmark}.
 */
public final class CachedFetchBenchmark {

  private CachedFetchBenchmark() {}

  public static void main(String[] args) {
    int warmup = 50_000;
    int measured = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Clock clock = Clock.systemUTC();
    TestingSecretBackend backend = new TestingSecretBackend("aws-sm", clock);
    backend.put("prod/ecs-deployer", "value");
    LongAdder audited = new LongAdder();
    AuditLog audit = entry -> audited.increment();
    AccessPolicy policy =
        AccessPolicy.builder().allowProviderInstance("ecs-prod", "aws-sm:prod/ecs-*").build();
    Caller caller = Caller.providerInstance("ecs-prod", "platform");
    SecretReference reference = SecretReference.parse("aws-sm:prod/ecs-deployer");
    try (CredentialBroker broker =
        new CredentialBroker(
            List.of(backend),
            policy,
            audit,
            BrokerSettings.defaults(),
            clock,
            new ExecutorBrokerScheduler(),
            Sleeper.REAL,
            Math::random)) {
      for (int i = 0; i < warmup; i++) {
        broker.fetch(caller, reference, FetchContext.none());
      }
      long[] nanos = new long[measured];
      for (int i = 0; i < measured; i++) {
        long start = System.nanoTime();
        broker.fetch(caller, reference, FetchContext.none());
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      System.out.printf(
          "cached fetch over %d calls: p50 %.1f us, p99 %.1f us, p99.9 %.1f us (%d backend calls)%n",
          measured,
          nanos[measured / 2] / 1000.0,
          nanos[(int) (measured * 0.99)] / 1000.0,
          nanos[(int) (measured * 0.999)] / 1000.0,
          backend.calls().size());
    }
  }
}
