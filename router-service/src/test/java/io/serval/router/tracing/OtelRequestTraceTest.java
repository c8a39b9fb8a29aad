package io.serval.router.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.serval.router.dispatch.RequestTrace;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router's spans of one request, recorded by the real OpenTelemetry SDK. */
class OtelRequestTraceTest {
  private static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  private final List<SpanData> ended = new CopyOnWriteArrayList<>();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(
              SimpleSpanProcessor.create(
                  new SpanExporter() {
                    @Override
                    public CompletableResultCode export(Collection<SpanData> spans) {
                      ended.addAll(spans);
                      return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode flush() {
                      return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode shutdown() {
                      return CompletableResultCode.ofSuccess();
                    }
                  }))
          .build();
  private final OpenTelemetry otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(provider)
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private final OtelRequestTracer tracer = new OtelRequestTracer(otel);

  @AfterEach
  void close() {
    provider.close();
  }

  /**
   * Admits a request the way the dispatcher does: on the thread where the server span is current.
   */
  private RequestTrace admitUnder(Span server) {
    try (Scope ignored = server.makeCurrent()) {
      return tracer.admitted("minilm", "rev-1");
    }
  }

  private SpanData named(String name) {
    return ended.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void queueWaitThenForwardUnderTheServerSpanWithTheForwardsContextOnTheWire() {
    Span server =
        otel.getTracer("test").spanBuilder("server").setSpanKind(SpanKind.SERVER).startSpan();
    RequestTrace trace = admitUnder(server);
    trace.queued();
    trace.dispatched("10.0.0.7:8001");
    Metadata headers = new Metadata();
    trace.inject(headers);
    trace.attemptEnded(Status.OK);
    trace.finished(Status.Code.OK);
    server.end();

    SpanData wait = named(SpanNames.QUEUE_WAIT);
    SpanData forward = named(SpanNames.FORWARD);
    String serverId = server.getSpanContext().getSpanId();
    assertThat(wait.getParentSpanId()).isEqualTo(serverId);
    assertThat(forward.getParentSpanId()).isEqualTo(serverId);
    assertThat(forward.getTraceId()).isEqualTo(server.getSpanContext().getTraceId());
    assertThat(forward.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(wait.getEndEpochNanos()).isLessThanOrEqualTo(forward.getStartEpochNanos());
    assertThat(headers.get(TRACEPARENT))
        .isEqualTo("00-" + forward.getTraceId() + "-" + forward.getSpanId() + "-01");
    assertThat(wait.getAttributes().get(SpanNames.API)).isEqualTo("minilm");
    assertThat(wait.getAttributes().get(SpanNames.REVISION)).isEqualTo("rev-1");
    assertThat(wait.getAttributes().get(SpanNames.REPLICA)).isEqualTo("10.0.0.7:8001");
    assertThat(forward.getAttributes().get(SpanNames.REPLICA)).isEqualTo("10.0.0.7:8001");
    assertThat(forward.getAttributes().get(SpanNames.ATTEMPT)).isEqualTo(1L);
    assertThat(forward.getAttributes().get(SpanNames.GRPC_STATUS)).isEqualTo(0L);
    assertThat(forward.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(ended).hasSize(3);
  }

  @Test
  void aRequestDispatchedAtOnceHasOnlyItsForward() {
    Span server = otel.getTracer("test").spanBuilder("server").startSpan();
    RequestTrace trace = admitUnder(server);
    trace.dispatched("10.0.0.7:8001");
    trace.attemptEnded(Status.OK);
    trace.finished(Status.Code.OK);

    assertThat(ended)
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(SpanNames.FORWARD));
  }

  @Test
  void aQueuedCallThatComesAfterTheDispatchRecordsNoWait() {
    Span server = otel.getTracer("test").spanBuilder("server").startSpan();
    RequestTrace trace = admitUnder(server);
    // Another thread freed a slot and dispatched it between the offer and queued().
    trace.dispatched("10.0.0.7:8001");
    trace.queued();
    trace.attemptEnded(Status.OK);
    trace.finished(Status.Code.OK);

    assertThat(ended).extracting(SpanData::getName).containsExactly(SpanNames.FORWARD);
  }

  @Test
  void aRequestThatExpiresInTheQueueEndsItsWaitWithTheError() {
    Span server = otel.getTracer("test").spanBuilder("server").startSpan();
    RequestTrace trace = admitUnder(server);
    trace.queued();
    trace.finished(Status.Code.DEADLINE_EXCEEDED);
    trace.finished(Status.Code.DEADLINE_EXCEEDED);

    assertThat(ended)
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(SpanNames.QUEUE_WAIT));
    SpanData wait = ended.get(0);
    assertThat(wait.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(wait.getAttributes().get(SpanNames.GRPC_STATUS))
        .isEqualTo((long) Status.Code.DEADLINE_EXCEEDED.value());
  }

  @Test
  void aRetryIsASecondForwardAndACancelEndsTheOneInFlight() {
    Span server = otel.getTracer("test").spanBuilder("server").startSpan();
    RequestTrace trace = admitUnder(server);
    trace.dispatched("a:1");
    trace.attemptEnded(Status.UNAVAILABLE);
    trace.dispatched("b:1");
    trace.finished(Status.Code.CANCELLED);

    List<SpanData> forwards =
        ended.stream().filter(s -> s.getName().equals(SpanNames.FORWARD)).toList();
    assertThat(forwards).hasSize(2);
    assertThat(forwards.get(0).getAttributes().get(SpanNames.ATTEMPT)).isEqualTo(1L);
    assertThat(forwards.get(0).getAttributes().get(SpanNames.REPLICA)).isEqualTo("a:1");
    assertThat(forwards.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(forwards.get(1).getAttributes().get(SpanNames.ATTEMPT)).isEqualTo(2L);
    assertThat(forwards.get(1).getAttributes().get(SpanNames.GRPC_STATUS))
        .isEqualTo((long) Status.Code.CANCELLED.value());
  }

  @Test
  void withoutAServerSpanTheRouterSpansStartTheTrace() {
    RequestTrace trace = tracer.admitted("minilm", "");
    trace.queued();
    trace.dispatched("a:1");
    trace.attemptEnded(Status.OK);
    trace.finished(Status.Code.OK);
    assertThat(ended)
        .hasSize(2)
        .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo("0000000000000000"));
  }
}
