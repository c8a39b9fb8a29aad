package io.serval.router.tracing;

import io.grpc.Metadata;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.serval.router.dispatch.RequestTrace;

/**
 * One request's spans in the router: the queue wait when the request had to queue, then a forward
 * per attempt, all children of the edge's server span and siblings in time order. Spans are ended
 * explicitly (they run across threads), never made current.
 *
 * <p>A request that gets a slot at once (every request of an API below its capacity) records no
 * queue wait: a span of a few microseconds would say nothing, and at c=1 it was a third of the
 * router's spans, each one SDK work on the event loop and marshalling on the export thread
 * (docs/benchmarks.md, "Tracing overhead").
 */
final class OtelRequestTrace implements RequestTrace {
  private static final TextMapSetter<Metadata> HEADERS =
      (headers, key, value) -> {
        if (headers != null) {
          headers.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final Context parent;
  private final String api;
  private final String revision;
  private Span queueWait;
  private Span forward;
  private int attempts;

  OtelRequestTrace(
      Tracer tracer, TextMapPropagator propagator, Context parent, String api, String revision) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.parent = parent;
    this.api = api;
    this.revision = revision;
  }

  @Override
  public synchronized void queued() {
    // Already dispatched on another thread (a slot freed between the offer and this call): the
    // wait is over before it could be recorded.
    if (attempts > 0 || queueWait != null) {
      return;
    }
    queueWait =
        tracer
            .spanBuilder(SpanNames.QUEUE_WAIT)
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(SpanNames.API, api)
            .setAttribute(SpanNames.REVISION, revision)
            .startSpan();
  }

  @Override
  public synchronized void dispatched(String replica) {
    if (queueWait != null) {
      queueWait.setAttribute(SpanNames.REPLICA, replica);
      queueWait.end();
      queueWait = null;
    }
    attempts++;
    forward =
        tracer
            .spanBuilder(SpanNames.FORWARD)
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(SpanNames.API, api)
            .setAttribute(SpanNames.REVISION, revision)
            .setAttribute(SpanNames.REPLICA, replica)
            .setAttribute(SpanNames.ATTEMPT, (long) attempts)
            .setAttribute(SpanNames.RPC_SYSTEM, "grpc")
            .setAttribute(SpanNames.RPC_SERVICE, "inference.GRPCInferenceService")
            .setAttribute(SpanNames.RPC_METHOD, "ModelInfer")
            .startSpan();
  }

  @Override
  public void inject(Metadata headers) {
    Span span;
    synchronized (this) {
      span = forward;
    }
    if (span != null) {
      propagator.inject(parent.with(span), headers, HEADERS);
    }
  }

  @Override
  public synchronized void attemptEnded(Status status) {
    if (forward != null) {
      end(forward, status.getCode());
      forward = null;
    }
  }

  @Override
  public synchronized void finished(Status.Code code) {
    // A request retried and then cancelled, or expired or cancelled while queued, ends its open
    // span here; one answered normally has none left open.
    if (queueWait != null) {
      end(queueWait, code);
      queueWait = null;
    }
    if (forward != null) {
      end(forward, code);
      forward = null;
    }
  }

  private static void end(Span span, Status.Code code) {
    span.setAttribute(SpanNames.GRPC_STATUS, (long) code.value());
    if (code != Status.Code.OK) {
      span.setStatus(StatusCode.ERROR, code.name());
    }
    span.end();
  }
}
