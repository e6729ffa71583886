package io.hodei.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * Reads a JSON string as Jackson does, and refuses one that cannot be stored as text: a NUL
 * character, which PostgreSQL refuses and no command, variable or name needs, or half of a
 * surrogate pair ({@code "\ud800"}), which is no character at all and cannot be written as UTF-8.
 */
final class StorableStringDeserializer extends StdScalarDeserializer<String> {

  static final String NUL_MESSAGE = "must not contain the NUL character (\\u0000)";
  static final String SURROGATE_MESSAGE =
      "must be Unicode text: it holds half of a surrogate pair (\\ud800 to \\udfff)";

  StorableStringDeserializer() {
    super(String.class);
  }

  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    String text = StringDeserializer.instance.deserialize(p, ctxt);
    String problem = problem(text);
    if (problem != null) {
      throw MismatchedInputException.from(p, String.class, problem);
    }
    return text;
  }

  /** What makes the text unstorable, or null when it can be stored. */
  static String problem(String text) {
    if (text == null) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return NUL_MESSAGE;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return SURROGATE_MESSAGE;
      }
    }
    return null;
  }

  @Override
  public LogicalType logicalType() {
    return LogicalType.Textual;
  }

  @Override
  public boolean isCachable() {
    return true;
  }

  /** The same rule for the keys of a map. */
  static final class Keys extends KeyDeserializer {

    @Override
    public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
      String problem = problem(key);
      if (problem != null) {
        throw MismatchedInputException.from(ctxt.getParser(), String.class, "a key " + problem);
      }
      return key;
    }
  }
}
