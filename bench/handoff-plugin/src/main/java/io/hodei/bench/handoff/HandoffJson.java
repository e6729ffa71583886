package io.hodei.bench.handoff;

import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the few JSON shapes the handoff endpoint receives. Hand-written so that the plugin jar
 * carries no library the host might also load in another version.
 */
final class HandoffJson {

  private HandoffJson() {}

  /** An object whose values are strings or string maps, in a stable key order. */
  static String object(Map<String, ?> fields) {
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, ?> field : new TreeMap<>(fields).entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, field.getKey());
      out.append(':');
      Object value = field.getValue();
      if (value instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, ?> nested = (Map<String, ?>) map;
        out.append(object(nested));
      } else {
        string(out, String.valueOf(value));
      }
    }
    return out.append('}').toString();
  }

  private static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
