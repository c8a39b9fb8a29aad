package io.serval.predictor.api;

import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.serval.predictor.config.PredictorConfig;
import io.serval.predictor.metrics.Protocol;
import io.serval.predictor.runtime.PredictorRuntime;
import io.serval.v2.V2Exception;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.grpc.VertxServerBuilder;
import io.vertx.grpc.server.GrpcServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Applies {@code serval.predictor.max-request-size} to both transports. REST: a request whose
 * Content-Length is over the limit gets 413 with the V2 error body before its body is read
 * (Quarkus' own limit, set from the same value, still stops chunked bodies). gRPC: larger messages
 * are refused with RESOURCE_EXHAUSTED by the gRPC runtime.
 */
@ApplicationScoped
public class RequestSizeLimit implements ServerBuilderCustomizer<VertxServerBuilder> {
  /** Before Quarkus' own upload-limit route (order -2), which answers with an empty body. */
  private static final int ORDER = -10;

  @Inject PredictorConfig config;
  @Inject PredictorRuntime runtime;

  void install(@Observes Router router) {
    long limit = config.maxRequestSize().asLongValue();
    String message =
        "request body exceeds the limit of " + limit + " bytes (serval.predictor.max-request-size)";
    byte[] body = V2Exception.errorJson(message).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    router
        .route()
        .order(ORDER)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              if (length != null && tooLong(length, limit)) {
                if (runtime.v2() != null) {
                  runtime
                      .v2()
                      .outcomes()
                      .finished(Protocol.REST, V2Exception.Kind.PAYLOAD_TOO_LARGE, 0);
                }
                ctx.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(io.vertx.core.buffer.Buffer.buffer(body));
                return;
              }
              ctx.next();
            });
  }

  private static boolean tooLong(String length, long limit) {
    try {
      return Long.parseLong(length.trim()) > limit;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public void customize(GrpcServerConfiguration cfg, VertxServerBuilder builder) {
    builder.maxInboundMessageSize((int) config.maxRequestSize().asLongValue());
  }

  @Override
  public void customize(GrpcServerConfiguration cfg, GrpcServerOptions options) {
    options.setMaxMessageSize(config.maxRequestSize().asLongValue());
  }
}
