package io.hodei.server.api.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generates request bodies an endpoint must refuse with a 400, from a valid body and the documented
 * rules of its fields: each case breaks exactly one rule, so that a case the server accepts is a
 * validation the server lacks.
 */
final class HostileBodies {

  /** One generated request body and what is hostile about it. */
  record Case(String description, byte[] body) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static final String MARK = "@@hostile@@";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Map<String, Object> valid;
  private final List<Slot> slots;

  /**
   * @param valid a body the endpoint accepts (names in it must be unused, so that a case accepted
   *     by mistake shows as a 201, not a 409)
   * @param slots its fields and their rules
   */
  HostileBodies(Map<String, Object> valid, List<Slot> slots) {
    this.valid = valid;
    this.slots = slots;
  }

  /** Every kind of hostile body, in about equal shares. */
  Arbitrary<Case> cases() {
    List<Arbitrary<Case>> kinds = new ArrayList<>();
    kinds.add(wrongTypes());
    kinds.add(nulCharacters());
    kinds.add(unpairedSurrogates());
    kinds.add(unknownFields());
    kinds.add(trailingGarbage());
    kinds.add(deepNesting());
    kinds.add(malformed());
    if (slots.stream().anyMatch(s -> s.kind() == Slot.Kind.WHOLE)) {
      kinds.add(outOfRange());
    }
    if (slots.stream().anyMatch(s -> s.refusesControl())) {
      kinds.add(controlCharacters());
    }
    if (slots.stream().anyMatch(s -> s.maxLength() > 0)) {
      kinds.add(hugeStrings());
    }
    return Arbitraries.oneOf(kinds);
  }

  private Arbitrary<Case> wrongTypes() {
    return Arbitraries.of(slots)
        .flatMap(slot -> Arbitraries.of(wrongValues(slot)).map(raw -> at(slot, raw, "wrong type")));
  }

  private static List<String> wrongValues(Slot slot) {
    return switch (slot.kind()) {
      case STRING ->
          List.of("5", "-1", "1.5", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":\"b\"}");
      case WHOLE ->
          List.of(
              "\"5\"",
              "\"\"",
              "1.5",
              "-0.5",
              "1e3",
              "2.0E1",
              "true",
              "[]",
              "[1]",
              "{}",
              "\"0x10\"");
      case BOOL -> List.of("1", "0", "7", "\"true\"", "\"\"", "1.0", "[]", "{}", "\"yes\"");
      case MAP ->
          List.of(
              "\"x\"",
              "5",
              "[]",
              "[\"a\"]",
              "true",
              "{\"k\": 5}",
              "{\"k\": true}",
              "{\"k\": {}}",
              "{\"k\": []}",
              "{\"k\": null}",
              "{\"k\": 1.5}",
              "{\"a\": \"b\", \"k\": null}");
      case OBJECT -> List.of("\"x\"", "5", "[]", "true", "[{}]", "\"\"");
      case LIST -> List.of("\"x\"", "5", "{}", "true", "[5]", "[\"x\"]", "[[]]", "[true]");
    };
  }

  private Arbitrary<Case> nulCharacters() {
    List<Slot> targets =
        slots.stream().filter(s -> s.isText() || s.kind() == Slot.Kind.MAP).toList();
    return Combinators.combine(
            Arbitraries.of(targets), printable(), printable(), Arbitraries.of(true, false))
        .as(
            (slot, before, after, inKey) -> {
              String text = escape(before) + "\\u0000" + escape(after);
              if (slot.kind() == Slot.Kind.MAP) {
                String entry = inKey ? "\"" + text + "\": \"v\"" : "\"k\": \"" + text + "\"";
                return at(slot, "{" + entry + "}", "NUL in a " + (inKey ? "key" : "value"));
              }
              return at(slot, "\"" + text + "\"", "NUL");
            });
  }

  private Arbitrary<Case> unpairedSurrogates() {
    List<Slot> targets =
        slots.stream().filter(s -> s.isText() || s.kind() == Slot.Kind.MAP).toList();
    return Combinators.combine(
            Arbitraries.of(targets),
            printable(),
            Arbitraries.of("\\ud800", "\\udfff", "\\udbff", "\\ud83d x"))
        .as(
            (slot, before, surrogate) -> {
              String text = "\"" + escape(before) + surrogate + "\"";
              String raw = slot.kind() == Slot.Kind.MAP ? "{\"k\": " + text + "}" : text;
              return at(slot, raw, "unpaired surrogate");
            });
  }

  private Arbitrary<Case> controlCharacters() {
    List<Slot> targets = slots.stream().filter(Slot::refusesControl).toList();
    Arbitrary<Integer> controls =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 0x1f),
            Arbitraries.just(0x7f),
            Arbitraries.integers().between(0x80, 0x9f));
    return Combinators.combine(Arbitraries.of(targets), controls, lowerCase())
        .as(
            (slot, control, name) -> {
              String text = name + String.format("\\u%04x", control) + name;
              String raw =
                  slot.kind() == Slot.Kind.MAP ? "{\"" + text + "\": \"v\"}" : "\"" + text + "\"";
              return at(slot, raw, String.format("control character U+%04X", control));
            });
  }

  private Arbitrary<Case> hugeStrings() {
    List<Slot> targets = slots.stream().filter(s -> s.maxLength() > 0).toList();
    return Arbitraries.of(targets)
        .flatMap(
            slot ->
                Arbitraries.oneOf(
                        Arbitraries.integers().between(slot.maxLength() + 1, slot.maxLength() * 2),
                        Arbitraries.of(1024 * 1024))
                    .map(
                        length -> {
                          String text = "a".repeat(length);
                          String raw =
                              slot.kind() == Slot.Kind.MAP
                                  ? "{\"" + text + "\": \"v\"}"
                                  : "\"" + text + "\"";
                          return at(slot, raw, "string of " + length + " characters");
                        }));
  }

  private Arbitrary<Case> outOfRange() {
    List<Slot> targets = slots.stream().filter(s -> s.kind() == Slot.Kind.WHOLE).toList();
    return Arbitraries.of(targets)
        .flatMap(
            slot -> {
              List<Arbitrary<String>> values = new ArrayList<>();
              values.add(
                  Arbitraries.of(
                      Long.toString(slot.max() + 1),
                      "9223372036854775807",
                      "4611686018427387904",
                      "-9223372036854775808",
                      "9223372036854775808",
                      "99999999999999999999",
                      "-99999999999999999999",
                      "1" + "0".repeat(2000),
                      "1e400"));
              values.add(
                  Arbitraries.longs().between(slot.max() + 1, Long.MAX_VALUE).map(String::valueOf));
              if (slot.min() > Long.MIN_VALUE) {
                values.add(
                    Arbitraries.longs()
                        .between(Long.MIN_VALUE, slot.min() - 1)
                        .map(String::valueOf));
              }
              return Arbitraries.oneOf(values)
                  .map(raw -> at(slot, raw, "out of range " + shorten(raw)));
            });
  }

  private Arbitrary<Case> deepNesting() {
    Arbitrary<Slot> targets = Arbitraries.of(slots);
    return Combinators.combine(
            targets, Arbitraries.integers().between(20, 5000), Arbitraries.of(true, false))
        .as(
            (slot, depth, arrays) -> {
              String raw =
                  arrays
                      ? "[".repeat(depth) + "]".repeat(depth)
                      : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
              return at(
                  slot, raw, "nested " + depth + " deep in " + (arrays ? "lists" : "objects"));
            });
  }

  private Arbitrary<Case> unknownFields() {
    List<String> objects = new ArrayList<>();
    objects.add("");
    slots.stream().filter(s -> s.kind() == Slot.Kind.OBJECT).forEach(s -> objects.add(s.path()));
    Set<String> known = new TreeSet<>();
    slots.forEach(s -> known.add(s.path().replaceAll(".*[.\\]]", "")));
    Arbitrary<String> names =
        Arbitraries.strings()
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(16)
            .filter(n -> !known.contains(n));
    Arbitrary<String> values = Arbitraries.of("1", "\"x\"", "null", "true", "{}", "[]");
    return Combinators.combine(Arbitraries.of(objects), names, values)
        .as(
            (parent, name, value) -> {
              Map<String, Object> body = copy();
              objectAt(body, parent).put(name, MARK);
              return new Case(
                  "unknown field " + (parent.isEmpty() ? "" : parent + ".") + name,
                  bytes(render(body).replace("\"" + MARK + "\"", value)));
            });
  }

  private Arbitrary<Case> trailingGarbage() {
    String body = render(copy());
    return Arbitraries.of(
            "xyz",
            "{}",
            "[]",
            "1",
            "\"x\"",
            "}",
            "]",
            ",",
            "null",
            body,
            " " + body,
            "/* c */",
            "// c",
            "NaN",
            ",{}",
            "\n{\"name\": 1}")
        .map(garbage -> new Case("trailing " + shorten(garbage), bytes(body + garbage)));
  }

  private Arbitrary<Case> malformed() {
    String body = render(copy());
    byte[] valid = bytes(body);
    Arbitrary<Case> whole =
        Arbitraries.of(
                "[]", "\"body\"", "5", "true", "[" + body + "]", "{", "{\"a\"}", "{,}", "'x'")
            .map(raw -> new Case("body " + shorten(raw), bytes(raw)));
    Arbitrary<Case> truncated =
        Arbitraries.integers()
            .between(1, valid.length - 1)
            .map(
                cut ->
                    new Case("cut after " + cut + " bytes", java.util.Arrays.copyOf(valid, cut)));
    Arbitrary<Case> duplicate =
        Arbitraries.of(new ArrayList<>(new TreeSet<>(valid().keySet())))
            .map(
                key -> {
                  String again;
                  try {
                    again = JSON.writeValueAsString(valid().get(key));
                  } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                  }
                  String twice =
                      body.substring(0, body.length() - 1) + ",\"" + key + "\":" + again + "}";
                  return new Case("field " + key + " twice", bytes(twice));
                });
    return Arbitraries.oneOf(whole, truncated, duplicate);
  }

  private Map<String, Object> valid() {
    return valid;
  }

  /** The valid body with the value at {@code slot} replaced by {@code raw} JSON text. */
  private Case at(Slot slot, String raw, String what) {
    Map<String, Object> body = copy();
    String path = slot.path();
    int dot = Math.max(path.lastIndexOf('.'), path.lastIndexOf(']'));
    String parent = dot < 0 ? "" : path.substring(0, path.charAt(dot) == ']' ? dot + 1 : dot);
    String leaf = path.substring(dot + 1);
    objectAt(body, parent).put(leaf, MARK);
    return new Case(what + " in " + path, bytes(render(body).replace("\"" + MARK + "\"", raw)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> objectAt(Map<String, Object> body, String path) {
    Object at = body;
    for (String part : path.isEmpty() ? new String[0] : path.split("\\.")) {
      int bracket = part.indexOf('[');
      if (bracket < 0) {
        at = ((Map<String, Object>) at).get(part);
      } else {
        at = ((Map<String, Object>) at).get(part.substring(0, bracket));
        at =
            ((List<Object>) at)
                .get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
      }
    }
    return (Map<String, Object>) at;
  }

  private Map<String, Object> copy() {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = JSON.convertValue(valid, LinkedHashMap.class);
    return copy;
  }

  private static String render(Map<String, Object> body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Arbitrary<String> printable() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars(' ', '-', '_', '.', 'é', '中')
        .ofMaxLength(12);
  }

  private static Arbitrary<String> lowerCase() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  static String shorten(String text) {
    String flat = text.replaceAll("\\s", " ");
    return flat.length() <= 24 ? flat : flat.substring(0, 24) + "...";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
