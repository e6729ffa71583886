package io.hodei.core.pools;

import io.hodei.plugin.api.ProviderHealth;
import java.util.Optional;

/**
 * Whether a pool may take a job when its provider instance cannot keep one worker from reading
 * another's environment and files. Such a pool may serve one tenant only: a pool of its own, a
 * shared one an operator explicitly allowed to be unisolated, or any pool of an installation that
 * has a single tenant (no identity provider, so every caller is the default tenant).
 */
public final class PoolAdmission {

  /**
   * How a provider's health detail begins when its workers are not isolated from each other (the
   * {@code local} provider without its sandbox).
   */
  public static final String NOT_ISOLATED = "not isolated";

  private PoolAdmission() {}

  /** The verdict. */
  public sealed interface Decision permits Admit, Refuse {}

  /** The pool may take the job. */
  public record Admit() implements Decision {}

  /**
   * The job waits.
   *
   * @param reason what to change, shown to users as the reason the job waits
   */
  public record Refuse(String reason) implements Decision {}

  /**
   * @param pool the pool's name
   * @param tenantOwned whether the pool belongs to one tenant (only that tenant's jobs reach here)
   * @param allowUnisolated whether an operator accepts that tenants share unisolated workers
   * @param singleTenant whether the installation can have one tenant only, so no job can read
   *     another tenant's secrets however its workers are isolated
   * @param providerHealth the provider instance's last known health, empty when unknown
   */
  public static Decision decide(
      String pool,
      boolean tenantOwned,
      boolean allowUnisolated,
      boolean singleTenant,
      Optional<ProviderHealth> providerHealth) {
    Optional<String> notIsolated =
        providerHealth.map(ProviderHealth::detail).filter(d -> d.startsWith(NOT_ISOLATED));
    if (tenantOwned || allowUnisolated || singleTenant || notIsolated.isEmpty()) {
      return new Admit();
    }
    return new Refuse(
        "pool '"
            + pool
            + "' is shared by every tenant but its provider's workers are "
            + notIsolated.get()
            + "; an operator must give the pool a tenant or set its allow-unisolated");
  }
}
