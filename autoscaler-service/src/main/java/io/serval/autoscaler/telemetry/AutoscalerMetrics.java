package io.serval.autoscaler.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.serval.autoscaler.aggregation.InFlightAverage;
import io.serval.autoscaler.scaling.ScalingDecision;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics, all named {@code serval_autoscaler_*}: per API the desired, current and ready
 * replicas, the window and panic in-flight averages and the panic state (NaN before the first
 * decision); counters for ticks, deliveries and stats reports.
 */
@ApplicationScoped
public class AutoscalerMetrics {

  private final MeterRegistry registry;
  private final Map<String, List<Meter>> perApi = new ConcurrentHashMap<>();

  public AutoscalerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The gauges of one API, read from its latest decision at each scrape. Takes the decision as a
   * supplier rather than the control loop's entry: metrics sit below the loop that feeds them.
   */
  public void register(String api, Supplier<Optional<ScalingDecision>> lastDecision) {
    ApiGauges e = new ApiGauges(api, lastDecision);
    List<Meter> meters =
        List.of(
            gauge("serval.autoscaler.desired.replicas", e, d -> d.desiredReplicas()),
            gauge("serval.autoscaler.current.replicas", e, d -> d.input().currentReplicas()),
            gauge("serval.autoscaler.ready.replicas", e, d -> d.input().readyReplicas()),
            gauge("serval.autoscaler.window.average.in.flight", e, d -> value(d.input().window())),
            gauge("serval.autoscaler.panic.average.in.flight", e, d -> value(d.input().panic())),
            gauge("serval.autoscaler.panic.mode", e, d -> d.panic() ? 1 : 0));
    perApi.put(api, meters);
  }

  /** What a gauge holds (strongly): the API's name and where its latest decision is read. */
  private record ApiGauges(String name, Supplier<Optional<ScalingDecision>> lastDecision) {}

  public void unregister(String api) {
    List<Meter> meters = perApi.remove(api);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  public void tick(String outcome) {
    Counter.builder("serval.autoscaler.ticks")
        .description("Autoscaler ticks by outcome (ok, operator-unavailable)")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void delivery(String outcome) {
    Counter.builder("serval.autoscaler.deliveries")
        .description("SetDesiredReplicas calls by outcome (delivered, retrying, rejected)")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private Gauge gauge(String name, ApiGauges e, ToDoubleFunction<ScalingDecision> f) {
    return Gauge.builder(
            name, e, entry -> entry.lastDecision().get().map(f::applyAsDouble).orElse(Double.NaN))
        .tags(Tags.of("api", e.name()))
        .strongReference(true)
        .register(registry);
  }

  private static double value(Optional<InFlightAverage> avg) {
    return avg.map(InFlightAverage::value).orElse(Double.NaN);
  }
}
