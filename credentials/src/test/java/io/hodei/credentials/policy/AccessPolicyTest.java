package io.hodei.credentials.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.credentials.SecretReference;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

  private static SecretReference ref(String text) {
    return SecretReference.parse(text);
  }

  @Test
  void singleStarStaysWithinASegmentAndDoubleStarCrossesThem() {
    ReferencePattern one = ReferencePattern.parse("aws-sm:prod/ecs-*");
    assertThat(one.matches(ref("aws-sm:prod/ecs-deployer"))).isTrue();
    assertThat(one.matches(ref("aws-sm:prod/ecs-deployer/extra"))).isFalse();
    assertThat(one.matches(ref("aws-sm:prod/k8s"))).isFalse();
    assertThat(one.matches(ref("vault:prod/ecs-deployer"))).isFalse();

    ReferencePattern any = ReferencePattern.parse("*:tenants/acme/**");
    assertThat(any.matches(ref("vault:tenants/acme/a/b"))).isTrue();
    assertThat(any.matches(ref("local:tenants/acme-corp/a"))).isFalse();
  }

  @Test
  void deniesByDefaultAndSaysWhatTheCallerMayRead() {
    AccessPolicy policy = AccessPolicy.builder().build();
    Caller ecs = Caller.providerInstance("ecs-prod", "platform");

    assertThat(policy.permits(ecs, ref("aws-sm:prod/ecs-deployer"))).isFalse();
    assertThatThrownBy(() -> policy.check(ecs, ref("aws-sm:prod/ecs-deployer")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("it may read no secrets")
        .hasMessageContaining("grant it in the credential policy");
  }

  @Test
  void jobsReadOnlyTheirTenantsSecretsUnderTheConfiguredTemplate() {
    AccessPolicy policy = AccessPolicy.builder().tenantJobTemplate("vault:kv/{tenant}/**").build();

    assertThat(policy.permits(Caller.job("j1", "acme"), ref("vault:kv/acme/npm"))).isTrue();
    assertThat(policy.permits(Caller.job("j1", "acme"), ref("vault:kv/globex/npm"))).isFalse();
    assertThat(policy.permits(Caller.job("j1", "acme"), ref("vault:tenants/acme/npm"))).isFalse();
    // A provider instance gets nothing from the tenant templates.
    assertThat(policy.permits(Caller.providerInstance("acme", "acme"), ref("vault:kv/acme/npm")))
        .isFalse();
  }

  @Test
  void rejectsTemplatesThatDoNotNameTheTenantAndTenantsThatCarryGlobs() {
    assertThatThrownBy(() -> AccessPolicy.builder().tenantJobTemplate("vault:kv/**"))
        .hasMessageContaining("names the tenant");
    assertThatThrownBy(() -> AccessPolicy.builder().tenantJobTemplate("{tenant}:kv/x"))
        .hasMessageContaining("names the tenant");
    assertThatThrownBy(() -> Caller.job("j1", "*")).hasMessageContaining("tenant");
    assertThatThrownBy(() -> ReferencePattern.parse("prod/ecs-*"))
        .hasMessageContaining("aws-sm:prod/ecs-*");
  }
}
