package io.serval.router.metrics;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.serval.router.dispatch.ApiLane;
import io.serval.router.dispatch.DispatchObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Prometheus metrics {@code serval_router_*}: in-flight (queued + executing) and queue length per
 * API, requests by API, revision and gRPC code, and a latency histogram per API.
 */
public final class RouterMetrics implements DispatchObserver {
  private record CounterKey(String api, String revision, Status.Code code) {}

  private final MeterRegistry registry;
  private final Function<String, ApiLane> lanes;
  private final ConcurrentHashMap<CounterKey, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();

  public RouterMetrics(MeterRegistry registry, Function<String, ApiLane> lanes) {
    this.registry = registry;
    this.lanes = lanes;
  }

  @Override
  public void completed(String api, String revision, Status.Code code, long latencyNanos) {
    Counter c = counters.get(new CounterKey(api, revision, code));
    if (c == null) {
      c = counters.computeIfAbsent(new CounterKey(api, revision, code), this::counter);
    }
    c.increment();
    Timer t = timers.get(api);
    if (t == null) {
      t = timers.computeIfAbsent(api, this::timer);
    }
    t.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void noReadyReplica(String api) {
    track(api);
  }

  private Counter counter(CounterKey k) {
    track(k.api());
    return Counter.builder("serval_router_requests")
        .description("Requests answered, by API, revision and gRPC status code")
        .tag("api", k.api())
        .tag("revision", k.revision())
        .tag("code", k.code().name())
        .register(registry);
  }

  private Timer timer(String api) {
    return Timer.builder("serval_router_request_duration")
        .description("Time from admission to answer in the router, queueing included")
        .tag("api", api)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  /** Registers the per-API gauges once an API is seen. */
  public void track(String api) {
    if (!gauged.add(api)) {
      return;
    }
    Gauge.builder("serval_router_in_flight", () -> sample(api, true))
        .description("Requests queued or executing for the API in this router")
        .tag("api", api)
        .register(registry);
    Gauge.builder("serval_router_queue_length", () -> sample(api, false))
        .description("Requests waiting in the API's queue in this router")
        .tag("api", api)
        .register(registry);
  }

  private double sample(String api, boolean inFlight) {
    ApiLane lane = lanes.apply(api);
    if (lane == null) {
      return 0;
    }
    return inFlight ? lane.queued() + lane.executing() : lane.queued();
  }
}
