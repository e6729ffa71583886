package io.hodei.plugins.kubernetes;

/** A platform team's decorator: CI workers run at a lower priority than services. */
public final class PriorityClassDecorator implements PodDecorator {

  @Override
  public String name() {
    return "ci-priority";
  }

  @Override
  public void decorate(PodSpecContext context) {
    context.spec().setPriorityClassName("ci-low");
  }
}
