package io.serval.router.metrics;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.serval.router.dispatch.ApiLane;
import io.serval.router.dispatch.DispatchObserver;
import io.serval.router.dispatch.Protocol;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RevisionEntry;
import io.serval.router.routing.RouteTable;
import io.serval.v2.V2Exception;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Prometheus metrics {@code serval_router_*}, in the platform's one label scheme
 * (docs/observability.md):
 *
 * <ul>
 *   <li>{@code serval_router_requests_total{api,revision,protocol,code}}: {@code protocol} is
 *       {@code rest} or {@code grpc}; {@code code} is the HTTP status for REST ("200", "503") and
 *       the gRPC code name for gRPC ("OK", "UNAVAILABLE"), what the client saw
 *   <li>{@code serval_router_request_duration_seconds{api,revision,protocol}}: admission to answer,
 *       queueing included (histogram)
 *   <li>{@code serval_router_in_flight{api}}, {@code serval_router_queue_length{api}}, {@code
 *       serval_router_queue_capacity{api}} (the API's maxQueueLength): gauges
 * </ul>
 *
 * When an API or a revision leaves the routes its meters leave the registry ({@link #retain}), so a
 * deleted API stops showing as a flat line with its last values.
 */
public final class RouterMetrics implements DispatchObserver {
  private record CounterKey(String api, String revision, Protocol protocol, Status.Code code) {}

  private record TimerKey(String api, String revision, Protocol protocol) {}

  private final MeterRegistry registry;
  private final Function<String, ApiLane> lanes;
  private final ConcurrentHashMap<CounterKey, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<Meter>> gauges = new ConcurrentHashMap<>();

  public RouterMetrics(MeterRegistry registry, Function<String, ApiLane> lanes) {
    this.registry = registry;
    this.lanes = lanes;
  }

  @Override
  public void completed(
      String api, String revision, Protocol protocol, Status.Code code, long latencyNanos) {
    CounterKey ck = new CounterKey(api, revision, protocol, code);
    Counter c = counters.get(ck);
    if (c == null) {
      c = counters.computeIfAbsent(ck, this::counter);
    }
    c.increment();
    TimerKey tk = new TimerKey(api, revision, protocol);
    Timer t = timers.get(tk);
    if (t == null) {
      t = timers.computeIfAbsent(tk, this::timer);
    }
    t.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void noReadyReplica(String api) {
    track(api);
  }

  /**
   * Removes the meters of every API and revision the new routes no longer have. Requests answered
   * without a revision (label "") stay with their API.
   */
  public void retain(RouteTable routes) {
    Map<String, Set<String>> live = new HashMap<>();
    for (ApiEntry api : routes.apis()) {
      Set<String> revisions = new HashSet<>();
      revisions.add("");
      for (RevisionEntry r : api.revisions()) {
        revisions.add(r.name());
      }
      live.put(api.name(), revisions);
    }
    counters
        .entrySet()
        .removeIf(e -> gone(live, e.getKey().api(), e.getKey().revision(), e.getValue()));
    timers
        .entrySet()
        .removeIf(e -> gone(live, e.getKey().api(), e.getKey().revision(), e.getValue()));
    gauges
        .entrySet()
        .removeIf(
            e -> {
              if (live.containsKey(e.getKey())) {
                return false;
              }
              e.getValue().forEach(registry::remove);
              return true;
            });
  }

  private boolean gone(Map<String, Set<String>> live, String api, String revision, Meter meter) {
    Set<String> revisions = live.get(api);
    if (revisions != null && revisions.contains(revision)) {
      return false;
    }
    registry.remove(meter);
    return true;
  }

  /** The {@code code} label: what the client saw, in its protocol's terms. */
  static String codeLabel(Protocol protocol, Status.Code code) {
    if (protocol == Protocol.GRPC) {
      return code.name();
    }
    if (code == Status.Code.OK) {
      return "200";
    }
    return Integer.toString(V2Exception.kindOf(code).httpStatus());
  }

  private Counter counter(CounterKey k) {
    track(k.api());
    return Counter.builder("serval_router_requests")
        .description(
            "Requests answered, by API, revision, protocol and status code (HTTP status for REST,"
                + " gRPC code for gRPC)")
        .tag("api", k.api())
        .tag("revision", k.revision())
        .tag("protocol", k.protocol().label())
        .tag("code", codeLabel(k.protocol(), k.code()))
        .register(registry);
  }

  private Timer timer(TimerKey k) {
    return Timer.builder("serval_router_request_duration")
        .description("Time from admission to answer in the router, queueing included")
        .tag("api", k.api())
        .tag("revision", k.revision())
        .tag("protocol", k.protocol().label())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  /** Registers the per-API gauges once an API is seen. */
  public void track(String api) {
    gauges.computeIfAbsent(
        api,
        a ->
            List.of(
                Gauge.builder("serval_router_in_flight", () -> sample(a, true))
                    .description("Requests queued or executing for the API in this router")
                    .tag("api", a)
                    .register(registry),
                Gauge.builder("serval_router_queue_length", () -> sample(a, false))
                    .description("Requests waiting in the API's queue in this router")
                    .tag("api", a)
                    .register(registry),
                Gauge.builder("serval_router_queue_capacity", () -> capacity(a))
                    .description(
                        "Requests the API's queue holds before refusing (its maxQueueLength)")
                    .tag("api", a)
                    .register(registry)));
  }

  private double capacity(String api) {
    ApiLane lane = lanes.apply(api);
    return lane == null ? Double.NaN : lane.api().maxQueueLength();
  }

  private double sample(String api, boolean inFlight) {
    ApiLane lane = lanes.apply(api);
    if (lane == null) {
      return 0;
    }
    return inFlight ? lane.queued() + lane.executing() : lane.queued();
  }
}
