package io.hodei.testplugins.greetingold;

import io.hodei.testplugins.support.InMemoryProvider;
import io.hodei.testplugins.support.LibraryVersion;
import java.util.Map;
import org.apache.commons.lang3.StringUtils;
import org.pf4j.Extension;

/** Bundles commons-lang3 3.12.0 and reports the version it really runs with. */
@Extension
public class OldGreetingProvider extends InMemoryProvider {

  @Override
  protected String type() {
    return "greeting-old";
  }

  @Override
  protected String version() {
    return "1.0.0";
  }

  @Override
  protected Map<String, String> attributes() {
    return Map.of(
        "commons-lang3",
        LibraryVersion.of(StringUtils.class, "org.apache.commons", "commons-lang3"),
        "greeting",
        StringUtils.capitalize("hello from the old library"));
  }
}
