package io.serval.autoscaler.aggregation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Combines the per-second in-flight samples of every router into per-API totals (sum per API per
 * second) and averages them over a window. A router counts only while it keeps reporting: once its
 * last report is older than {@code routerMaxAge} its samples are dropped. Thread-safe.
 *
 * <p>Each router reports every API it knows at every second, so an API missing from a report counts
 * as zero at that second. The averaging window ends at the latest second that every live router has
 * reported, so that a router whose report for the current second is a few milliseconds late does
 * not make the total look smaller.
 */
public final class InFlightAggregator {

  private static final class RouterSeries {
    Instant lastSeen;
    final TreeMap<Long, Map<String, Double>> bySecond = new TreeMap<>();
  }

  private final Clock clock;
  private final Duration routerMaxAge;
  private final Duration retention;
  private final Map<String, RouterSeries> routers = new HashMap<>();
  private final Map<String, Instant> lastActive = new HashMap<>();

  /**
   * @param routerMaxAge a router whose last report is older than this ages out
   * @param retention how long samples are kept; longer than any window asked for
   */
  public InFlightAggregator(Clock clock, Duration routerMaxAge, Duration retention) {
    this.clock = clock;
    this.routerMaxAge = routerMaxAge;
    this.retention = retention;
  }

  /**
   * Records one router's samples for the second that ends at {@code sampleEnd}.
   *
   * @param inFlightByApi queued + executing requests per API, averaged over that second
   */
  public synchronized void record(
      String routerId, Instant sampleEnd, Map<String, Double> inFlightByApi) {
    Instant now = clock.instant();
    RouterSeries series = routers.computeIfAbsent(routerId, id -> new RouterSeries());
    series.lastSeen = now;
    long second = endSecond(sampleEnd);
    series.bySecond.computeIfAbsent(second, s -> new HashMap<>()).putAll(inFlightByApi);
    inFlightByApi.forEach(
        (api, value) -> {
          if (value > 0) {
            lastActive.merge(api, sampleEnd, (a, b) -> a.isAfter(b) ? a : b);
          }
        });
    prune(now);
  }

  /** The average total in-flight of {@code api} over {@code window}; empty with no live router. */
  public synchronized Optional<InFlightAverage> average(String api, Duration window) {
    prune(clock.instant());
    if (routers.isEmpty()) {
      return Optional.empty();
    }
    long end = Long.MAX_VALUE;
    for (RouterSeries s : routers.values()) {
      if (!s.bySecond.isEmpty()) {
        end = Math.min(end, s.bySecond.lastKey());
      }
    }
    if (end == Long.MAX_VALUE) {
      return Optional.empty();
    }
    long start = end - Math.max(1, window.toSeconds());
    TreeSet<Long> seconds = new TreeSet<>();
    double sum = 0;
    int contributing = 0;
    for (RouterSeries s : routers.values()) {
      NavigableMap<Long, Map<String, Double>> inWindow = s.bySecond.subMap(start, false, end, true);
      if (inWindow.isEmpty()) {
        continue;
      }
      contributing++;
      seconds.addAll(inWindow.keySet());
      for (Map<String, Double> report : inWindow.values()) {
        sum += report.getOrDefault(api, 0.0);
      }
    }
    if (seconds.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new InFlightAverage(sum / seconds.size(), seconds.size(), contributing));
  }

  /** The end of the last second in which any router reported a request in flight for the API. */
  public synchronized Optional<Instant> lastActive(String api) {
    return Optional.ofNullable(lastActive.get(api));
  }

  /** Routers that reported within the max age. */
  public synchronized int liveRouters() {
    prune(clock.instant());
    return routers.size();
  }

  /** Drops a router that ended its stream: it will not report again, so it needs no ageing. */
  public synchronized void forgetRouter(String routerId) {
    routers.remove(routerId);
  }

  /** Forgets an API that is no longer autoscaled. */
  public synchronized void forget(String api) {
    lastActive.remove(api);
  }

  private void prune(Instant now) {
    Instant deadline = now.minus(routerMaxAge);
    long oldestSecond = endSecond(now.minus(retention));
    Iterator<RouterSeries> it = routers.values().iterator();
    while (it.hasNext()) {
      RouterSeries s = it.next();
      if (s.lastSeen.isBefore(deadline)) {
        it.remove();
      } else {
        s.bySecond.headMap(oldestSecond, false).clear();
      }
    }
    // Bounds the map against routers naming APIs that are never autoscaled; the policy keeps its
    // own copy of the last activity of the APIs it scales.
    Instant oldest = now.minus(retention);
    lastActive.values().removeIf(at -> at.isBefore(oldest));
  }

  private static long endSecond(Instant at) {
    return Math.floorDiv(at.toEpochMilli() + 999, 1000);
  }
}
