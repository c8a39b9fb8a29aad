package io.serval.autoscaler.control;

import io.serval.autoscaler.telemetry.AutoscalerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The autoscaled APIs and their latest decisions, deliveries and metrics. */
@ApplicationScoped
public class ApiDecisions {

  private final Map<String, ApiEntry> entries = new ConcurrentHashMap<>();
  private final AutoscalerMetrics metrics;
  private final Clock clock;

  public ApiDecisions(AutoscalerMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  ApiEntry entry(String api) {
    return entries.computeIfAbsent(
        api,
        name -> {
          ApiEntry e = new ApiEntry(name);
          metrics.register(name, e::lastDecision);
          return e;
        });
  }

  public Optional<ApiEntry> find(String api) {
    return Optional.ofNullable(entries.get(api));
  }

  public List<ApiEntry> all() {
    return entries.values().stream().sorted(Comparator.comparing(ApiEntry::name)).toList();
  }

  public Collection<String> names() {
    return entries.keySet();
  }

  /** Forgets the APIs the operator no longer autoscales. */
  void retainOnly(Set<String> apis) {
    for (String name : Set.copyOf(entries.keySet())) {
      if (!apis.contains(name)) {
        entries.remove(name);
        metrics.unregister(name);
      }
    }
  }

  /** Records what happened to a delivery of {@code replicas} for {@code api}. */
  public void delivery(
      String api, Delivery.State state, int replicas, Integer applied, String error) {
    ApiEntry e = entries.get(api);
    if (e == null) {
      return;
    }
    int failed = 0;
    Delivery previous = e.delivery().orElse(null);
    if (state == Delivery.State.RETRYING) {
      failed =
          previous != null && previous.replicas() == replicas ? previous.failedAttempts() + 1 : 1;
    } else if (previous != null && previous.replicas() == replicas) {
      failed = previous.failedAttempts();
    }
    e.delivery(new Delivery(state, replicas, applied, failed, error, clock.instant()));
  }
}
