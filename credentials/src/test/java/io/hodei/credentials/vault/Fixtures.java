package io.hodei.credentials.vault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.Map;
import java.util.stream.Collectors;

/** Vault answers as documented in its API reference, with made-up values. */
final class Fixtures {

  private Fixtures() {}

  /** {@code POST /v1/auth/<mount>/login}. */
  static String login(String token, long ttl) {
    return """
        {"request_id":"1a2b","lease_id":"","renewable":false,"lease_duration":0,"data":null,
         "wrap_info":null,"warnings":null,
         "auth":{"client_token":"%s","accessor":"acc-1","policies":["default","hodei-broker"],
                 "token_policies":["default","hodei-broker"],"metadata":{"role_name":"hodei"},
                 "lease_duration":%d,"renewable":true,"entity_id":"e-1","token_type":"service",
                 "orphan":true}}
        """
        .formatted(token, ttl);
  }

  /** {@code GET /v1/<mount>/data/<path>} of a KV v2 engine. */
  static String kv(Map<String, String> data, int version) {
    String fields =
        data.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
            .collect(Collectors.joining(","));
    return """
        {"request_id":"3c4d","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"data":{%s},
                 "metadata":{"created_time":"2025-01-01T00:00:00.000000Z","custom_metadata":null,
                             "deletion_time":"","destroyed":false,"version":%d}},
         "wrap_info":null,"warnings":null,"auth":null}
        """
        .formatted(fields, version);
  }

  /** {@code GET /v1/aws/creds/<role>}. */
  static String awsCreds(String leaseId, long ttl) {
    return """
        {"request_id":"5e6f","lease_id":"%s","renewable":true,"lease_duration":%d,
         "data":{"access_key":"AKIAEXAMPLEEXAMPLE","secret_key":"example-secret-key",
                 "security_token":null},
         "wrap_info":null,"warnings":null,"auth":null}
        """
        .formatted(leaseId, ttl);
  }

  /** {@code GET /v1/database/creds/<role>}. */
  static String dbCreds(String leaseId, long ttl) {
    return """
        {"request_id":"7a8b","lease_id":"%s","renewable":true,"lease_duration":%d,
         "data":{"username":"v-approle-readonly-x1","password":"example-password"},
         "wrap_info":null,"warnings":null,"auth":null}
        """
        .formatted(leaseId, ttl);
  }

  /** {@code PUT /v1/sys/leases/renew}. */
  static String renewed(String leaseId, long ttl) {
    return """
        {"request_id":"9c0d","lease_id":"%s","renewable":true,"lease_duration":%d,"data":null,
         "wrap_info":null,"warnings":null,"auth":null}
        """
        .formatted(leaseId, ttl);
  }

  /** Vault's answer to a token it does not (or no longer) accept. */
  static ResponseDefinitionBuilder forbidden() {
    return aResponse()
        .withStatus(403)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"errors\":[\"permission denied\"]}");
  }
}
