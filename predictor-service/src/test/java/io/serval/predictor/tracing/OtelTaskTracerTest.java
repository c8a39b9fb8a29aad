package io.serval.predictor.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.serval.predictor.inference.TaskTracer;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's spans, recorded by the real OpenTelemetry SDK, on a fixed wall clock. */
class OtelTaskTracerTest {
  /** The wall clock when the request is queued. */
  private static final long EPOCH = 1_700_000_000_000_000_000L;

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
  private final OpenTelemetry otel = OpenTelemetrySdk.builder().setTracerProvider(provider).build();

  @AfterEach
  void close() {
    provider.close();
  }

  private SpanData named(String name) {
    return ended.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void batchWaitThenOnnxRunUnderTheServerSpanAtTheEnginesTimes() {
    OtelTaskTracer tracer =
        new OtelTaskTracer(otel, "minilm", "rev-1", "minilm-rev-1-0", () -> EPOCH);
    Span server = otel.getTracer("test").spanBuilder("server").startSpan();
    TaskTracer.TaskTrace trace;
    long queuedAt = System.nanoTime();
    try (Scope ignored = server.makeCurrent()) {
      trace = tracer.queued();
    }
    // Queued 1 ms after the anchor, started 3 ms after it, ran for 5 ms, in a batch of 3.
    long anchorToQueued = 1_000_000;
    long enqueued = queuedAt + anchorToQueued;
    trace.ran(enqueued, enqueued + 2_000_000, enqueued + 7_000_000, 3, 6, null);

    SpanData wait = named(SpanNames.BATCH_WAIT);
    SpanData run = named(SpanNames.ONNX_RUN);
    String serverId = server.getSpanContext().getSpanId();
    assertThat(wait.getParentSpanId()).isEqualTo(serverId);
    assertThat(run.getParentSpanId()).isEqualTo(serverId);
    assertThat(wait.getEndEpochNanos() - wait.getStartEpochNanos()).isEqualTo(2_000_000);
    assertThat(run.getStartEpochNanos()).isEqualTo(wait.getEndEpochNanos());
    assertThat(run.getEndEpochNanos() - run.getStartEpochNanos()).isEqualTo(5_000_000);
    // The anchor is read just after queuedAt: the wait starts at most 1 ms after EPOCH, and
    // earlier by only the time queued() took.
    assertThat(wait.getStartEpochNanos() - EPOCH)
        .isBetween(anchorToQueued - 50_000_000, anchorToQueued);
    assertThat(run.getAttributes().get(SpanNames.BATCH_SIZE)).isEqualTo(3L);
    assertThat(run.getAttributes().get(SpanNames.BATCH_ROWS)).isEqualTo(6L);
    for (SpanData s : List.of(wait, run)) {
      assertThat(s.getAttributes().get(SpanNames.API)).isEqualTo("minilm");
      assertThat(s.getAttributes().get(SpanNames.REVISION)).isEqualTo("rev-1");
      assertThat(s.getAttributes().get(SpanNames.REPLICA)).isEqualTo("minilm-rev-1-0");
    }
    assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void aFailedRunIsAnError() {
    OtelTaskTracer tracer = new OtelTaskTracer(otel, "minilm", "", null, () -> EPOCH);
    Span server = otel.getTracer("test").spanBuilder("server").startSpan();
    TaskTracer.TaskTrace trace;
    try (Scope ignored = server.makeCurrent()) {
      trace = tracer.queued();
    }
    long t = System.nanoTime();
    trace.ran(t, t + 10, t + 20, 1, 1, new IllegalStateException("boom"));
    assertThat(named(SpanNames.ONNX_RUN).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(named(SpanNames.ONNX_RUN).getAttributes().get(SpanNames.REPLICA)).isNull();
  }

  @Test
  void outsideASampledTraceNothingIsRecorded() {
    OtelTaskTracer tracer = new OtelTaskTracer(otel, "minilm", "rev-1", null, () -> EPOCH);
    Span unsampled =
        Span.wrap(
            SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getDefault(),
                TraceState.getDefault()));
    TaskTracer.TaskTrace trace;
    try (Scope ignored = Context.root().with(unsampled).makeCurrent()) {
      trace = tracer.queued();
    }
    assertThat(trace).isSameAs(TaskTracer.TaskTrace.NONE);
    assertThat(tracer.queued()).as("no span at all").isSameAs(TaskTracer.TaskTrace.NONE);
    long t = System.nanoTime();
    trace.ran(t, t, t, 1, 1, null);
    assertThat(ended).isEmpty();
  }
}
