package io.hodei.testplugins.echov1;

import io.hodei.testplugins.support.InMemoryProvider;
import org.pf4j.Extension;

/** Version 1 of plugin {@code test-echo}: the host's upgrade test replaces one with the other. */
@Extension
public class EchoProvider extends InMemoryProvider {

  @Override
  protected String type() {
    return "echo";
  }

  @Override
  protected String version() {
    return "1.0.0";
  }
}
