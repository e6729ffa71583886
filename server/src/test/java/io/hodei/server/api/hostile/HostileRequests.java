package io.hodei.server.api.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generates hostile path segments and query strings for the read and path-addressed endpoints. */
final class HostileRequests {

  private HostileRequests() {}

  /** A path segment no resource can have; already percent-encoded. */
  static Arbitrary<String> segments() {
    Arbitrary<String> printable =
        Arbitraries.strings()
            .all()
            .ofMinLength(1)
            .ofMaxLength(40)
            .filter(s -> s.indexOf('/') < 0 && !s.chars().allMatch(c -> c == '.'))
            .filter(HostileRequests::encodable);
    Arbitrary<String> withControl =
        Combinators.combine(name(), controls(), name())
            .as((a, c, b) -> a + (char) c.intValue() + b);
    Arbitrary<String> huge = Arbitraries.integers().between(300, 2500).map("h"::repeat);
    Arbitrary<String> odd =
        Arbitraries.of(
            "\u0000",
            "%00",
            "%",
            "%zz",
            "a b",
            "?x=1",
            "#",
            "..a",
            "-",
            "_",
            "~",
            "\u00e9",
            "\u4e2d",
            "\ud83d\ude00",
            "null",
            "undefined",
            "0",
            "-1",
            "9223372036854775807",
            "' or 1=1 --",
            "<script>",
            "${jndi:ldap://x}",
            "%2e%2e",
            "..%2f");
    return Arbitraries.oneOf(printable, withControl, huge, odd).map(RawHttp::encode);
  }

  /** A segment holding a control character: always a 400. */
  static Arbitrary<String> controlSegments() {
    return Combinators.combine(name(), controls(), name())
        .as((a, c, b) -> RawHttp.encode(a + (char) c.intValue() + b));
  }

  /** A value that is not a whole number from {@code min} to {@code max}; never empty. */
  static Arbitrary<String> badWholeNumbers(long min, long max) {
    List<Arbitrary<String>> kinds = new ArrayList<>();
    kinds.add(
        Arbitraries.of(
            "abc",
            "x",
            "1.5",
            "1e3",
            " 5",
            "5 ",
            "5x",
            "0x10",
            "NaN",
            "true",
            "null",
            "--1",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999999",
            "\u0661",
            "\uff15",
            "[1]",
            "{}",
            "5,6"));
    kinds.add(Arbitraries.longs().between(max + 1, Long.MAX_VALUE).map(String::valueOf));
    kinds.add(Arbitraries.longs().between(Long.MIN_VALUE, min - 1).map(String::valueOf));
    kinds.add(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10));
    return Arbitraries.oneOf(kinds).map(RawHttp::encode);
  }

  /** A value the parameter does not accept; never empty. */
  static Arbitrary<String> badWords(Predicate<String> accepted) {
    return Arbitraries.oneOf(
            Arbitraries.strings()
                .all()
                .ofMinLength(1)
                .ofMaxLength(20)
                .filter(HostileRequests::encodable),
            Arbitraries.of("1", "0", "yes", "TRUE", "True", "on", " true", "true ", "pend ing"),
            Arbitraries.integers().between(200, 3000).map("w"::repeat))
        .filter(s -> !accepted.test(s))
        .map(RawHttp::encode);
  }

  /** A secret name the API refuses: a character outside its syntax, or too long. */
  static Arbitrary<String> badSecretNames() {
    Arbitrary<Character> outside =
        Arbitraries.chars()
            .all()
            .filter(
                c -> !Character.isSurrogate(c) && !String.valueOf(c).matches("[A-Za-z0-9_.@+=/-]"));
    Arbitrary<String> withOutside =
        Combinators.combine(name(), outside, name()).as((a, c, b) -> "n" + a + c + b);
    Arbitrary<String> huge = Arbitraries.integers().between(257, 2500).map("s"::repeat);
    Arbitrary<String> bad =
        // No empty or dot segments: the server normalizes those away before the name is read.
        Arbitraries.of("a b", "a%00b", "a/b c", "x/%", "a\\b", "a/" + "s".repeat(129));
    return Arbitraries.oneOf(withOutside, huge, bad)
        .map(
            name ->
                String.join(
                    "/",
                    java.util.Arrays.stream(name.split("/", -1)).map(RawHttp::encode).toList()));
  }

  /** A query string with a control character in a parameter's name or value. */
  static Arbitrary<String> controlQueries(List<String> names) {
    Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(names), HostileRequests.name());
    return Combinators.combine(name, controlSegments(), Arbitraries.of(true, false))
        .as((n, bad, inName) -> inName ? bad + "=1" : RawHttp.encode(n) + "=" + bad);
  }

  private static Arbitrary<String> name() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(10);
  }

  private static Arbitrary<Integer> controls() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 0x1f),
        Arbitraries.just(0x7f),
        Arbitraries.integers().between(0x80, 0x9f));
  }

  /** Whether the text is whole Unicode (a lone surrogate cannot be encoded as UTF-8). */
  private static boolean encodable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
