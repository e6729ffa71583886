package io.hodei.server.api;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The one JSON configuration of the API: a body means exactly what it says or it is refused.
 * Jackson's defaults would read {@code 7} as {@code true}, {@code 1.5} as {@code 1}, {@code 5} as
 * the name {@code "5"}, ignore whatever follows the first value, and hand a {@code null} map value
 * to code that copies the map; each of those becomes a 400 here instead.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // A field given twice has no single meaning.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float);
    refuse(mapper, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Float, CoercionInputShape.Boolean);
    refuse(
        mapper,
        LogicalType.Textual,
        CoercionInputShape.Integer,
        CoercionInputShape.Float,
        CoercionInputShape.Boolean);
    for (LogicalType scalar : new LogicalType[] {LogicalType.Boolean, LogicalType.Integer}) {
      refuse(mapper, scalar, CoercionInputShape.String, CoercionInputShape.EmptyString);
    }
    refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.EmptyString);
    // Maps (env, labels, a provider's config, a secret's fields) are copied as immutable maps.
    mapper.configOverride(Map.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    mapper.registerModule(
        new SimpleModule("hodei-strict-text")
            .addDeserializer(String.class, new StorableStringDeserializer())
            .addKeyDeserializer(String.class, new StorableStringDeserializer.Keys()));
  }

  private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
    for (CoercionInputShape shape : shapes) {
      mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
    }
  }
}
