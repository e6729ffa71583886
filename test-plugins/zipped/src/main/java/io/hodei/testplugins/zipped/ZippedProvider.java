package io.hodei.testplugins.zipped;

import io.hodei.testplugins.support.InMemoryProvider;
import org.pf4j.Extension;

/** Shipped as a PF4J zip: plugin.properties, classes/ and lib/ (with the support jar). */
@Extension
public class ZippedProvider extends InMemoryProvider {

  @Override
  protected String type() {
    return "zipped";
  }

  @Override
  protected String version() {
    return "1.0.0";
  }
}
