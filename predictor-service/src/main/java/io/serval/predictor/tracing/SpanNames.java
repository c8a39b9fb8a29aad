package io.serval.predictor.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The predictor's span names and attributes. The attribute names are the router's too (serval.api,
 * serval.revision, serval.replica), so one query finds a request's spans on both.
 */
public final class SpanNames {
  /** From the request's arrival in the batcher to the start of its batch. */
  public static final String BATCH_WAIT = "serval.predictor.batch_wait";

  /** The ONNX Runtime call that ran the request's batch. */
  public static final String ONNX_RUN = "serval.predictor.onnx_run";

  public static final AttributeKey<String> API = AttributeKey.stringKey("serval.api");
  public static final AttributeKey<String> REVISION = AttributeKey.stringKey("serval.revision");
  public static final AttributeKey<String> REPLICA = AttributeKey.stringKey("serval.replica");
  public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("serval.batch.size");
  public static final AttributeKey<Long> BATCH_ROWS = AttributeKey.longKey("serval.batch.rows");

  private SpanNames() {}
}
