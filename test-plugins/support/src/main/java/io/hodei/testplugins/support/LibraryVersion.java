package io.hodei.testplugins.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Which version of a bundled library a plugin's own class loader sees. */
public final class LibraryVersion {

  private LibraryVersion() {}

  /**
   * The version in the library's Maven {@code pom.properties}, read through the class loader that
   * loaded {@code libraryClass}: that is the copy the plugin really runs.
   */
  public static String of(Class<?> libraryClass, String groupId, String artifactId) {
    String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = libraryClass.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
