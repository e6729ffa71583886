package io.hodei.testplugins.futureapi;

import io.hodei.testplugins.support.InMemoryProvider;
import org.pf4j.Extension;

/** Declares {@code Plugin-Requires: >=2.0.0}, an API this server does not offer yet. */
@Extension
public class FutureApiProvider extends InMemoryProvider {

  @Override
  protected String type() {
    return "future";
  }

  @Override
  protected String version() {
    return "1.0.0";
  }
}
