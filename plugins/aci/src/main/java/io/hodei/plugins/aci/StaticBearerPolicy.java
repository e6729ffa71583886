package io.hodei.plugins.aci;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

/**
 * Sends a bearer token that someone else obtained (the credential broker, a workload identity
 * exchange), unchanged until the credential rotates.
 */
final class StaticBearerPolicy implements HttpPipelinePolicy {

  private final String authorization;

  StaticBearerPolicy(String token) {
    this.authorization = "Bearer " + token;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, authorization);
    return next.process();
  }

  @Override
  public HttpResponse processSync(
      HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, authorization);
    return next.processSync();
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "StaticBearerPolicy[***]";
  }
}
