package io.serval.router.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The names of the router's spans and of the attributes on them, one place for both (the predictor
 * uses the same attribute names for its own spans: docs/observability.md).
 */
public final class SpanNames {
  /** From admission to a slot on a replica (or to the end, when it never got one). */
  public static final String QUEUE_WAIT = "serval.router.queue_wait";

  /** One attempt on one replica: the gRPC call, client side. */
  public static final String FORWARD = "serval.router.forward";

  public static final AttributeKey<String> API = AttributeKey.stringKey("serval.api");
  public static final AttributeKey<String> REVISION = AttributeKey.stringKey("serval.revision");
  public static final AttributeKey<String> REPLICA = AttributeKey.stringKey("serval.replica");
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("serval.attempt");

  /** OTel's semantic conventions for RPC spans: the gRPC status code, as a number. */
  public static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");

  public static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  public static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  public static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");

  private SpanNames() {}
}
