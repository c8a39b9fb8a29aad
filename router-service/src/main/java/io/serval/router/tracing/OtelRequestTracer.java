package io.serval.router.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.serval.router.dispatch.RequestTrace;
import io.serval.router.dispatch.RequestTracer;

/**
 * The dispatcher's spans with OpenTelemetry: each request's trace continues the context current on
 * the submitting thread (the server span Quarkus opened for the REST or gRPC call, itself the child
 * of the client's {@code traceparent} when it sent one).
 */
public final class OtelRequestTracer implements RequestTracer {
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public OtelRequestTracer(OpenTelemetry otel) {
    this.tracer = otel.getTracer("io.serval.router");
    this.propagator = otel.getPropagators().getTextMapPropagator();
  }

  @Override
  public RequestTrace admitted(String api, String revision) {
    return new OtelRequestTrace(tracer, propagator, Context.current(), api, revision);
  }
}
