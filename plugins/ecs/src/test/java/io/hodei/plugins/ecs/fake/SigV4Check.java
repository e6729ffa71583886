package io.hodei.plugins.ecs.fake;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way AWS does: the scope (date,
 * region, service), the access key id, and the signature itself, recomputed with the secret key the
 * fake holds for that id.
 */
final class SigV4Check {

  private static final Pattern HEADER =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
              + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");

  /** What the header names. */
  record Parsed(
      String accessKeyId,
      String date,
      String region,
      String service,
      List<String> signedHeaders,
      String signature) {}

  private SigV4Check() {}

  static Optional<Parsed> parse(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    Matcher m = HEADER.matcher(authorization.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Parsed(
            m.group(1),
            m.group(2),
            m.group(3),
            m.group(4),
            Arrays.asList(m.group(5).split(";")),
            m.group(6)));
  }

  /** Whether {@code parsed.signature} is the signature of this request under {@code secret}. */
  static boolean signatureMatches(
      Parsed parsed, HttpExchange exchange, byte[] body, String secret) {
    String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
    if (amzDate == null || !amzDate.startsWith(parsed.date())) {
      return false;
    }
    URI uri = exchange.getRequestURI();
    List<String> canonicalHeaders = new ArrayList<>();
    for (String name : parsed.signedHeaders()) {
      List<String> values = exchange.getRequestHeaders().get(name);
      if (values == null) {
        return false;
      }
      canonicalHeaders.add(
          name.toLowerCase(Locale.ROOT)
              + ":"
              + String.join(
                  ",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList()));
    }
    String canonicalRequest =
        String.join(
            "\n",
            exchange.getRequestMethod(),
            uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(),
            uri.getRawQuery() == null ? "" : canonicalQuery(uri.getRawQuery()),
            String.join("\n", canonicalHeaders) + "\n",
            String.join(";", parsed.signedHeaders()),
            hex(sha256(body)));
    String scope = parsed.date() + "/" + parsed.region() + "/" + parsed.service() + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), parsed.date());
    key = hmac(key, parsed.region());
    key = hmac(key, parsed.service());
    key = hmac(key, "aws4_request");
    return hex(hmac(key, toSign)).equals(parsed.signature());
  }

  private static String canonicalQuery(String rawQuery) {
    return String.join("&", Arrays.stream(rawQuery.split("&")).sorted().toList());
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
