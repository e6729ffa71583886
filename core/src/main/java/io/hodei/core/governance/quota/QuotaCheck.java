package io.hodei.core.governance.quota;

import io.hodei.core.governance.decision.ReasonCode;
import io.hodei.core.governance.decision.Refusal;
import io.hodei.core.governance.ledger.Ledger;
import io.hodei.core.governance.ledger.Usage;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.Dimension;
import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.LabelQuota;
import io.hodei.core.governance.snapshot.TenantQuota;
import java.util.List;
import java.util.Optional;

/** Whether a tenant's quota, overall and per label, leaves room for one more job in a pool. */
public final class QuotaCheck {

  private QuotaCheck() {}

  /** The quota that {@code need} more in {@code pool} would exceed; empty when it fits. */
  public static Optional<Refusal> check(
      Ledger ledger, TenantQuota quota, GovernedPool pool, Amounts need) {
    Usage overall = ledger.tenant(quota.tenant());
    Optional<Dimension> over = overall.firstExceeded(quota.overall(), need);
    if (over.isPresent()) {
      return Optional.of(
          refusal(
              "tenant '" + quota.tenant() + "' quota", overall, quota.overall(), need, over.get()));
    }
    List<LabelQuota> perLabel = quota.perLabel();
    for (int i = 0; i < perLabel.size(); i++) {
      LabelQuota labelQuota = perLabel.get(i);
      if (!pool.matches(labelQuota.selector())) {
        continue;
      }
      Usage usage = ledger.tenantLabel(quota.tenant(), i);
      over = usage.firstExceeded(labelQuota.limit(), need);
      if (over.isPresent()) {
        String subject = "tenant '" + quota.tenant() + "' quota for pools " + labelQuota.describe();
        return Optional.of(refusal(subject, usage, labelQuota.limit(), need, over.get()));
      }
    }
    return Optional.empty();
  }

  private static Refusal refusal(
      String subject, Usage usage, Amounts limit, Amounts need, Dimension dimension) {
    return Refusal.amounts(
        ReasonCode.TENANT_QUOTA,
        subject,
        dimension,
        usage.get(dimension),
        limit.get(dimension),
        need.get(dimension));
  }
}
