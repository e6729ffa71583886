package io.hodei.plugins.kubernetes;

/** A platform team's decorator: every worker pod carries its cost center as a label. */
public final class CostCenterDecorator implements PodDecorator {

  @Override
  public String name() {
    return "cost-center";
  }

  @Override
  public void decorate(PodSpecContext context) {
    String value = context.setting(this, "value").orElse("unassigned");
    context.metadata().getLabels().put("example.com/cost-center", value);
  }
}
