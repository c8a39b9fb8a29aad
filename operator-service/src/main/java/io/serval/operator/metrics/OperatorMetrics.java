package io.serval.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import io.serval.operator.status.ApiStatusBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The operator's Prometheus gauges, {@code serval_operator_*}, in the platform's label scheme
 * ({@code api}, {@code revision}; docs/observability.md). They hold what only the operator knows:
 * how many replicas an API should have and how many are ready, which are crash-looping, the traffic
 * share of each revision and whether a rollout is moving.
 *
 * <p>Values are read at each scrape. Which series exist follows the stored resources: {@link
 * #refresh} (called on every stored change) adds the gauges of new APIs and revisions and removes
 * those of deleted APIs and of revisions that no longer take traffic.
 */
@ApplicationScoped
public class OperatorMetrics {
  private record Series(String api, String revision) {}

  private final MeterRegistry registry;
  private final Supplier<List<ApiRecord>> apis;
  private final Function<String, List<ReplicaInfo>> replicas;
  private final Predicate<ReplicaInfo> crashLooping;
  private final Map<Series, List<Meter>> meters = new HashMap<>();

  @Inject
  public OperatorMetrics(
      MeterRegistry registry,
      ResourceRegistry resources,
      Instance<ReplicaRuntime> runtime,
      ApiStatusBuilder status) {
    this(registry, resources::apis, api -> runtime.get().replicas(api), status::crashLooping);
  }

  /**
   * @param replicas the replicas a runtime runs for an API, every revision and phase
   * @param crashLooping the one rule of crash-looping ({@link ApiStatusBuilder#crashLooping})
   */
  public OperatorMetrics(
      MeterRegistry registry,
      Supplier<List<ApiRecord>> apis,
      Function<String, List<ReplicaInfo>> replicas,
      Predicate<ReplicaInfo> crashLooping) {
    this.registry = registry;
    this.apis = apis;
    this.replicas = replicas;
    this.crashLooping = crashLooping;
  }

  /** The APIs loaded from the state store at start get their series before any change. */
  void onStart(@Observes StartupEvent event) {
    refresh();
  }

  /** Brings the set of series in line with the stored APIs and their revisions. */
  public synchronized void refresh() {
    Set<Series> live = new LinkedHashSet<>();
    for (ApiRecord r : apis.get()) {
      live.add(new Series(r.name(), ""));
      Set<String> revisions = new LinkedHashSet<>(r.traffic().keySet());
      revisions.add(r.revision());
      if (r.rollout() != null) {
        revisions.add(r.rollout().to());
      }
      revisions.forEach(rev -> live.add(new Series(r.name(), rev)));
    }
    meters
        .entrySet()
        .removeIf(
            e -> {
              if (live.contains(e.getKey())) {
                return false;
              }
              e.getValue().forEach(registry::remove);
              return true;
            });
    for (Series s : live) {
      meters.computeIfAbsent(s, this::register);
    }
  }

  private List<Meter> register(Series s) {
    List<Meter> out = new ArrayList<>();
    if (s.revision().isEmpty()) {
      Tags tags = Tags.of("api", s.api());
      out.add(
          gauge(
              "serval_operator_desired_replicas",
              "Replicas the API should have now (its spec, the autoscaler's or a manual scale)",
              tags,
              () -> api(s.api()).map(ApiRecord::desiredReplicas).orElse(0)));
      out.add(
          gauge(
              "serval_operator_rollout_in_progress",
              "1 while a rollout of the API waits for its new revision or shifts traffic to it",
              tags,
              () -> api(s.api()).map(r -> r.rolloutInProgress() ? 1 : 0).orElse(0)));
      out.add(
          gauge(
              "serval_operator_rollout_last_transition_timestamp_seconds",
              "When the API's latest rollout last changed phase or step (Unix seconds)",
              tags,
              () ->
                  api(s.api())
                      .map(ApiRecord::rollout)
                      .map(RolloutState::since)
                      .map(t -> t.toEpochMilli() / 1000.0)
                      .orElse(Double.NaN)));
      return out;
    }
    Tags tags = Tags.of("api", s.api(), "revision", s.revision());
    out.add(
        gauge(
            "serval_operator_replicas",
            "Replicas of the revision the runtime runs, in any phase",
            tags,
            () -> count(s, r -> true)));
    out.add(
        gauge(
            "serval_operator_ready_replicas",
            "Replicas of the revision that are ready",
            tags,
            () -> count(s, ReplicaInfo::ready)));
    out.add(
        gauge(
            "serval_operator_crash_looping_replicas",
            "Replicas of the revision that died serval.operator.crash-loop-restarts times or more",
            tags,
            () -> count(s, crashLooping)));
    out.add(
        gauge(
            "serval_operator_traffic_percent",
            "Share of the API's traffic the revision takes, in percent",
            tags,
            () -> api(s.api()).map(r -> r.traffic().getOrDefault(s.revision(), 0)).orElse(0)));
    return out;
  }

  private Optional<ApiRecord> api(String name) {
    return apis.get().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  private int count(Series s, Predicate<ReplicaInfo> which) {
    return (int)
        replicas.apply(s.api()).stream()
            .filter(r -> r.revision().equals(s.revision()) && which.test(r))
            .count();
  }

  private Gauge gauge(String name, String description, Tags tags, Supplier<Number> value) {
    ToDoubleFunction<Supplier<Number>> read = v -> v.get().doubleValue();
    return Gauge.builder(name, value, read)
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }
}
