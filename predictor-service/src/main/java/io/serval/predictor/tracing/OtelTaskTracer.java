package io.serval.predictor.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.serval.predictor.inference.TaskTracer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The engine's spans with OpenTelemetry. Both are recorded after the fact, on the worker, with the
 * times the engine measured: the batch wait (queued until its batch started) and the ONNX Runtime
 * run (the batch's one model call, the same interval on every request of the batch, with the batch
 * size on it). Both are children of the span current when the request was queued: the gRPC or REST
 * server span, itself the child of the router's forward.
 */
public final class OtelTaskTracer implements TaskTracer {
  private final Tracer tracer;
  private final Attributes common;
  private final LongSupplier epochNanos;

  /**
   * @param replica the replica's id, or null when not started by the operator
   */
  public OtelTaskTracer(OpenTelemetry otel, String api, String revision, String replica) {
    this(otel, api, revision, replica, OtelTaskTracer::wallClockNanos);
  }

  OtelTaskTracer(
      OpenTelemetry otel, String api, String revision, String replica, LongSupplier epochNanos) {
    this.tracer = otel.getTracer("io.serval.predictor");
    AttributesBuilder a =
        Attributes.builder().put(SpanNames.API, api).put(SpanNames.REVISION, revision);
    if (replica != null && !replica.isBlank()) {
      a.put(SpanNames.REPLICA, replica);
    }
    this.common = a.build();
    this.epochNanos = epochNanos;
  }

  private static long wallClockNanos() {
    java.time.Instant now = java.time.Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }

  @Override
  public TaskTrace queued() {
    Context parent = Context.current();
    if (!Span.fromContext(parent).getSpanContext().isSampled()) {
      return TaskTrace.NONE;
    }
    // One anchor pairs the engine's monotonic times with the wall clock spans are stamped in.
    long anchorNano = System.nanoTime();
    long anchorEpoch = epochNanos.getAsLong();
    return (enqueued, start, end, size, rows, failure) -> {
      long startEpoch = anchorEpoch + (start - anchorNano);
      Span wait =
          tracer
              .spanBuilder(SpanNames.BATCH_WAIT)
              .setParent(parent)
              .setAllAttributes(common)
              .setStartTimestamp(anchorEpoch + (enqueued - anchorNano), TimeUnit.NANOSECONDS)
              .startSpan();
      wait.end(startEpoch, TimeUnit.NANOSECONDS);
      Span run =
          tracer
              .spanBuilder(SpanNames.ONNX_RUN)
              .setParent(parent)
              .setAllAttributes(common)
              .setAttribute(SpanNames.BATCH_SIZE, (long) size)
              .setAttribute(SpanNames.BATCH_ROWS, (long) rows)
              .setStartTimestamp(startEpoch, TimeUnit.NANOSECONDS)
              .startSpan();
      if (failure != null) {
        run.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
      }
      run.end(anchorEpoch + (end - anchorNano), TimeUnit.NANOSECONDS);
    };
  }
}
