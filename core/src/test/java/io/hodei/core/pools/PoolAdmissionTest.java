package io.hodei.core.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.ProviderHealth;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolAdmissionTest {

  private static final Optional<ProviderHealth> NOT_ISOLATED =
      Optional.of(
          new ProviderHealth(
              ProviderHealth.Status.DEGRADED, "not isolated: bwrap not found ('bwrap')"));
  private static final Optional<ProviderHealth> ISOLATED = Optional.of(ProviderHealth.healthy());

  @Test
  void aSharedPoolOnUnisolatedWorkersRefusesSayingWhatToChange() {
    assertThat(PoolAdmission.decide("default", false, false, false, NOT_ISOLATED))
        .isEqualTo(
            new PoolAdmission.Refuse(
                "pool 'default' is shared by every tenant but its provider's workers are not"
                    + " isolated: bwrap not found ('bwrap'); an operator must give the pool a"
                    + " tenant or set its allow-unisolated"));
  }

  @Test
  void aTenantsOwnPoolOrAnExplicitAllowanceAdmits() {
    assertThat(PoolAdmission.decide("acme", true, false, false, NOT_ISOLATED))
        .isInstanceOf(PoolAdmission.Admit.class);
    assertThat(PoolAdmission.decide("default", false, true, false, NOT_ISOLATED))
        .isInstanceOf(PoolAdmission.Admit.class);
  }

  @Test
  void anInstallationWithOneTenantAdmitsEvenUnisolated() {
    // Without an identity provider every caller is the default tenant: there is no other tenant
    // whose secrets a job could read.
    assertThat(PoolAdmission.decide("default", false, false, true, NOT_ISOLATED))
        .isInstanceOf(PoolAdmission.Admit.class);
  }

  @Test
  void isolatedOrOtherwiseDegradedProvidersAdmit() {
    assertThat(PoolAdmission.decide("default", false, false, false, ISOLATED))
        .isInstanceOf(PoolAdmission.Admit.class);
    assertThat(
            PoolAdmission.decide(
                "default",
                false,
                false,
                false,
                Optional.of(new ProviderHealth(ProviderHealth.Status.DEGRADED, "throttled"))))
        .isInstanceOf(PoolAdmission.Admit.class);
  }

  @Test
  void anUnknownHealthAdmitsAndLeavesTheWaitToPlacement() {
    // Placement already makes jobs wait while the instance is not open.
    assertThat(PoolAdmission.decide("default", false, false, false, Optional.empty()))
        .isInstanceOf(PoolAdmission.Admit.class);
  }
}
