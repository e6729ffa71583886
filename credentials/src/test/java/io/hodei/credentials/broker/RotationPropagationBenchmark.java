package io.hodei.credentials.broker;

import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import io.hodei.credentials.policy.AccessPolicy;
import io.hodei.credentials.policy.Caller;
import io.hodei.credentials.store.EmbeddedSecretStore;
import io.hodei.credentials.store.InMemorySecretRecords;
import io.hodei.credentials.store.MasterKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prints how long a new version written to the embedded store takes to reach a subscribed holder
 * (target: under 5 s), as the secrets API does it: write, then ask the broker to re-read at once. A
 * program, not a test. Run it like {@link CachedFetchBenchmark}.
 */
public final class RotationPropagationBenchmark {

  private RotationPropagationBenchmark() {}

  public static void main(String[] args) throws InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    Clock clock = Clock.systemUTC();
    SecureRandom random = new SecureRandom();
    EmbeddedSecretStore store =
        new EmbeddedSecretStore(
            new InMemorySecretRecords(), MasterKey.generate(random), List.of(), clock, random);
    store.create("registry", Map.of("value", "v0"));
    Caller caller = Caller.providerInstance("docker-prod", "platform");
    SecretReference reference = SecretReference.parse("local:registry");
    AccessPolicy policy =
        AccessPolicy.builder().allowProviderInstance("docker-prod", "local:registry").build();
    LinkedBlockingQueue<Secret> pushed = new LinkedBlockingQueue<>();
    try (CredentialBroker broker =
        new CredentialBroker(
            List.of(store),
            policy,
            entry -> {},
            BrokerSettings.defaults(),
            clock,
            new ExecutorBrokerScheduler(),
            Sleeper.REAL,
            Math::random)) {
      broker.subscribe(caller, reference, FetchContext.none(), pushed::offer);
      long[] nanos = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        long start = System.nanoTime();
        store.rotate("registry", Map.of("value", "v" + (i + 1)));
        broker.refreshSoon(reference);
        Secret next = pushed.poll(5, TimeUnit.SECONDS);
        if (next == null) {
          throw new IllegalStateException("round " + i + ": no push within 5 s");
        }
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      System.out.printf(
          "rotation to a subscribed holder over %d writes: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          rounds,
          nanos[rounds / 2] / 1e6,
          nanos[(int) (rounds * 0.99)] / 1e6,
          nanos[rounds - 1] / 1e6);
    }
  }
}
