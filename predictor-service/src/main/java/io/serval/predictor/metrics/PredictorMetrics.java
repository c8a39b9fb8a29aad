package io.serval.predictor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.serval.predictor.inference.InferenceEngine;
import io.serval.predictor.inference.InferenceMetrics;
import io.serval.predictor.inference.WarmupResult;
import io.serval.proto.inference.ModelStatistics;
import io.serval.v2.V2Exception;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The predictor's Prometheus metrics, in the platform's one label scheme (docs/observability.md):
 * every meter carries {@code api} and {@code revision} (the replica's serval.predictor.model.name
 * and .version, which the operator sets to the API and the revision it runs).
 *
 * <ul>
 *   <li>{@code serval_predictor_requests_total{api,revision,protocol,code}}: {@code code} is the
 *       HTTP status for REST ("200", "400", "503"), the gRPC code name for gRPC ("OK", ...)
 *   <li>{@code serval_predictor_request_duration_seconds{api,revision,protocol}}: end to end in the
 *       predictor, from the front end receiving the request to its answer (histogram)
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
  private record RequestKey(Protocol protocol, String code) {}

  private final MeterRegistry registry;
  private final Tags tags;
  private final ConcurrentHashMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Protocol, Timer> durations = new ConcurrentHashMap<>();
  private final Timer queue;
  private final Timer compute;
  private final DistributionSummary batchSize;
  private final InferenceStatistics statistics;

  /**
   * @param revision the revision the replica runs, "" when it was started without one
   */
  public PredictorMetrics(MeterRegistry registry, String api, String revision) {
    this(registry, api, revision, Clock.systemUTC());
  }

  /**
   * @param revision the revision the replica runs, "" when it was started without one
   * @param clock the time of day of ModelStatistics' last_inference
   */
  public PredictorMetrics(MeterRegistry registry, String api, String revision, Clock clock) {
    this.registry = registry;
    this.statistics = new InferenceStatistics(clock);
    this.tags = Tags.of("api", api, "revision", revision);
    // Registered at start so that a scrape shows the series before the first request.
    for (Protocol p : Protocol.values()) {
      counter(new RequestKey(p, p.code(null)));
      duration(p);
    }
    this.queue =
        timer(
            "serval.predictor.queue", "Time requests wait in the batcher before their batch runs");
    this.compute = timer("serval.predictor.compute", "Model run time per batch");
    this.batchSize =
        DistributionSummary.builder("serval.predictor.batch.size")
            .description("Requests per batch")
            .tags(tags)
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(1024.0)
            .register(registry);
  }

  /** Registers the queue depth and in-flight gauges of a running engine. */
  public void bind(InferenceEngine engine) {
    Gauge.builder("serval.predictor.queue.depth", engine, InferenceEngine::queued)
        .description("Requests waiting for a worker")
        .tags(tags)
        .register(registry);
    Gauge.builder("serval.predictor.in.flight", engine, InferenceEngine::inFlight)
        .description("Requests queued or running")
        .tags(tags)
        .register(registry);
  }

  @Override
  public void finished(Protocol protocol, V2Exception.Kind failure, long nanos) {
    RequestKey key = new RequestKey(protocol, protocol.code(failure));
    Counter c = requests.get(key);
    if (c == null) {
      c = counter(key);
    }
    c.increment();
    durations.get(protocol).record(nanos, TimeUnit.NANOSECONDS);
    statistics.request(failure == null, nanos);
  }

  private Counter counter(RequestKey key) {
    return requests.computeIfAbsent(
        key,
        k ->
            Counter.builder("serval.predictor.requests")
                .description(
                    "Inference requests by protocol and status code (HTTP status for REST, gRPC"
                        + " code for gRPC)")
                .tags(tags)
                .tag("protocol", k.protocol().label())
                .tag("code", k.code())
                .register(registry));
  }

  private void duration(Protocol p) {
    durations.put(
        p,
        Timer.builder("serval.predictor.request.duration")
            .description("Time from the front end receiving a request to its answer")
            .tags(tags)
            .tag("protocol", p.label())
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry));
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
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
        .tags(tags)
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
