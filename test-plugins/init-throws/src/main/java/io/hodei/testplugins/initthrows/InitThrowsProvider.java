package io.hodei.testplugins.initthrows;

import io.hodei.plugin.api.ProviderContext;
import io.hodei.testplugins.support.InMemoryProvider;
import org.pf4j.Extension;

/** A faulty provider: its initialize always throws something that is not a ProviderException. */
@Extension
public class InitThrowsProvider extends InMemoryProvider {

  @Override
  protected String type() {
    return "init-throws";
  }

  @Override
  protected String version() {
    return "1.0.0";
  }

  @Override
  public void initialize(ProviderContext context) {
    throw new IllegalStateException("test plugin init-throws fails on purpose in initialize");
  }
}
