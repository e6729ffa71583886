package io.hodei.server.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** Labels stored as a JSON object of strings, in key order. */
public final class Labels {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Labels() {}

  public static String write(Map<String, String> labels) {
    try {
      return JSON.writeValueAsString(labels == null ? Map.of() : new TreeMap<>(labels));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write labels as JSON", e);
    }
  }

  public static Map<String, String> read(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored labels are not a JSON object", e);
    }
  }
}
