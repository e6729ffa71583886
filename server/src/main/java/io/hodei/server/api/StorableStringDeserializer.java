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
 * Reads a JSON string as Jackson does, and refuses one holding a NUL character: PostgreSQL cannot
 * store it in text, and no command, variable or name needs it.
 */
final class StorableStringDeserializer extends StdScalarDeserializer<String> {

  static final String NUL_MESSAGE = "must not contain the NUL character (\\u0000)";

  StorableStringDeserializer() {
    super(String.class);
  }

  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    String text = StringDeserializer.instance.deserialize(p, ctxt);
    if (text != null && text.indexOf('\0') >= 0) {
      throw MismatchedInputException.from(p, String.class, NUL_MESSAGE);
    }
    return text;
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
      if (key.indexOf('\0') >= 0) {
        throw MismatchedInputException.from(ctxt.getParser(), String.class, "a key " + NUL_MESSAGE);
      }
      return key;
    }
  }
}
