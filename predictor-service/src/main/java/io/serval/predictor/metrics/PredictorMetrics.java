package io.serval.predictor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.serval.predictor.inference.InferenceEngine;
import io.serval.predictor.inference.InferenceMetrics;
import io.serval.predictor.inference.WarmupResult;
import io.serval.proto.inference.ModelStatistics;
import io.serval.v2.V2Exception;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The predictor's Prometheus metrics, one scheme for every predictor:
 *
 * <ul>
 *   <li>{@code serval_predictor_requests_total{model,outcome}}: outcome {@code success} or the
 *       failure kind in lower case ({@code invalid_argument}, {@code not_found}, {@code
 *       unavailable}, {@code payload_too_large}, {@code internal}, ...)
 *   <li>{@code serval_predictor_queue_seconds}: time from arrival in the batcher to the start of
 *       the batch's run (histogram)
 *   <li>{@code serval_predictor_compute_seconds}: model run time per batch (histogram)
 *   <li>{@code serval_predictor_batch_size}: requests per batch (distribution summary)
 *   <li>{@code serval_predictor_queue_depth}, {@code serval_predictor_in_flight}: gauges
 *   <li>{@code serval_predictor_warmup_total{source, outcome}}: 1 for how the warm-up went (source
 *       sample, synthetic or none; outcome ok, failed or skipped)
 * </ul>
 *
 * <p>The same calls feed the model's {@link InferenceStatistics} (gRPC ModelStatistics), so the
 * statistics and the meters count the same events.
 */
public final class PredictorMetrics implements InferenceMetrics, RequestOutcomes {
  private final MeterRegistry registry;
  private final String model;
  private final Counter success;
  private final EnumMap<V2Exception.Kind, Counter> failures = new EnumMap<>(V2Exception.Kind.class);
  private final Timer queue;
  private final Timer compute;
  private final DistributionSummary batchSize;
  private final InferenceStatistics statistics;

  public PredictorMetrics(MeterRegistry registry, String model) {
    this(registry, model, Clock.systemUTC());
  }

  /**
   * @param clock the time of day of ModelStatistics' last_inference
   */
  public PredictorMetrics(MeterRegistry registry, String model, Clock clock) {
    this.registry = registry;
    this.statistics = new InferenceStatistics(clock);
    this.model = model;
    this.success = requests("success");
    for (V2Exception.Kind k : V2Exception.Kind.values()) {
      failures.put(k, requests(k.name().toLowerCase(Locale.ROOT)));
    }
    this.queue =
        timer(
            "serval.predictor.queue", "Time requests wait in the batcher before their batch runs");
    this.compute = timer("serval.predictor.compute", "Model run time per batch");
    this.batchSize =
        DistributionSummary.builder("serval.predictor.batch.size")
            .description("Requests per batch")
            .tag("model", model)
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(1024.0)
            .register(registry);
  }

  /** Registers the queue depth and in-flight gauges of a running engine. */
  public void bind(InferenceEngine engine) {
    Gauge.builder("serval.predictor.queue.depth", engine, InferenceEngine::queued)
        .description("Requests waiting for a worker")
        .tag("model", model)
        .register(registry);
    Gauge.builder("serval.predictor.in.flight", engine, InferenceEngine::inFlight)
        .description("Requests queued or running")
        .tag("model", model)
        .register(registry);
  }

  private Counter requests(String outcome) {
    return Counter.builder("serval.predictor.requests")
        .description("Inference requests by outcome")
        .tag("model", model)
        .tag("outcome", outcome)
        .register(registry);
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .tag("model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  // The calls without a duration (requests refused before they were timed) count in the statistics
  // too, with no time, so that both count the same requests.
  @Override
  public void success() {
    success(0);
  }

  @Override
  public void failure(V2Exception.Kind kind) {
    failure(kind, 0);
  }

  @Override
  public void success(long elapsedNanos) {
    success.increment();
    statistics.request(true, elapsedNanos);
  }

  @Override
  public void failure(V2Exception.Kind kind, long elapsedNanos) {
    failures.get(kind).increment();
    statistics.request(false, elapsedNanos);
  }

  @Override
  public void queued(long nanos) {
    queue.record(nanos, TimeUnit.NANOSECONDS);
    statistics.queued(nanos);
  }

  @Override
  public void executed(int requests, int rows, long inputNanos, long inferNanos, long outputNanos) {
    statistics.executed(requests, rows, inputNanos, inferNanos, outputNanos);
  }

  /** The model's cumulative statistics (Triton's ModelStatistics). */
  public ModelStatistics statistics(String name, String version) {
    return statistics.snapshot(name, version);
  }

  @Override
  public void warmup(WarmupResult result) {
    Counter.builder("serval.predictor.warmup")
        .description("Warm-up runs before the model became ready, by input source and outcome")
        .tag("model", model)
        .tag("source", result.source())
        .tag("outcome", result.outcome())
        .register(registry)
        .increment();
  }

  @Override
  public void batch(int requests, int rows, long computeNanos) {
    batchSize.record(requests);
    compute.record(computeNanos, TimeUnit.NANOSECONDS);
  }
}
