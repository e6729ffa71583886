package io.hodei.testplugins.initthrows;

import io.hodei.plugin.api.ProviderContext;
import io.hodei.testplugins.support.InMemoryProvider;
import org.pf4j.Extension;

/**
 * A faulty provider: its initialize throws something that is not a ProviderException, chosen by the
 * instance's setting {@code throw} ({@code state} by default, {@code arithmetic}, {@code error}),
 * or initializes normally with {@code throw=none}.
 */
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
    switch (context.config().get("throw", "state")) {
      case "none" -> super.initialize(context);
      case "arithmetic" -> throw new ArithmeticException("long overflow");
      case "error" -> throw new NoClassDefFoundError("a class test plugin init-throws lacks");
      default ->
          throw new IllegalStateException("test plugin init-throws fails on purpose in initialize");
    }
  }
}
