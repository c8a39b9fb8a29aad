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
 *
 * <p>The async backlog (requests waiting in the async store for a router to take them) is kept
 * beside it, per second, as the largest count any router reported rather than the sum: routers that
 * share one store all read the same count, and summing would count each request once per router.
 */
public final class InFlightAggregator {

  private static final class RouterSeries {
    Instant lastSeen;
    final TreeMap<Long, Map<String, Double>> bySecond = new TreeMap<>();
    final TreeMap<Long, Map<String, Long>> pendingBySecond = new TreeMap<>();
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
  public void record(String routerId, Instant sampleEnd, Map<String, Double> inFlightByApi) {
    record(routerId, sampleEnd, inFlightByApi, Map.of());
  }

  /**
   * Records one router's samples for the second that ends at {@code sampleEnd}.
   *
   * @param inFlightByApi queued + executing requests per API, averaged over that second
   * @param asyncPendingByApi async requests per API waiting in the store at the sample instant
   */
  public synchronized void record(
      String routerId,
      Instant sampleEnd,
      Map<String, Double> inFlightByApi,
      Map<String, Long> asyncPendingByApi) {
    Instant now = clock.instant();
    RouterSeries series = routers.computeIfAbsent(routerId, id -> new RouterSeries());
    series.lastSeen = now;
    long second = endSecond(sampleEnd);
    series.bySecond.computeIfAbsent(second, s -> new HashMap<>()).putAll(inFlightByApi);
    series.pendingBySecond.computeIfAbsent(second, s -> new HashMap<>()).putAll(asyncPendingByApi);
    inFlightByApi.forEach((api, value) -> active(api, value > 0, sampleEnd));
    // Waiting async work is activity too: an API with a backlog is not idle, whatever is in flight.
    asyncPendingByApi.forEach((api, value) -> active(api, value > 0, sampleEnd));
    prune(now);
  }

  private void active(String api, boolean active, Instant at) {
    if (active) {
      lastActive.merge(api, at, (a, b) -> a.isAfter(b) ? a : b);
    }
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

  /**
   * The API's async backlog averaged over {@code window}: per second the largest count any router
   * reported (they share the store), averaged over the same seconds as {@link #average}; 0 when no
   * router reported one.
   */
  public synchronized double asyncBacklog(String api, Duration window) {
    prune(clock.instant());
    long end = Long.MAX_VALUE;
    for (RouterSeries s : routers.values()) {
      if (!s.bySecond.isEmpty()) {
        end = Math.min(end, s.bySecond.lastKey());
      }
    }
    if (end == Long.MAX_VALUE) {
      return 0;
    }
    long start = end - Math.max(1, window.toSeconds());
    TreeMap<Long, Long> largest = new TreeMap<>();
    TreeSet<Long> seconds = new TreeSet<>();
    for (RouterSeries s : routers.values()) {
      seconds.addAll(s.bySecond.subMap(start, false, end, true).keySet());
      s.pendingBySecond
          .subMap(start, false, end, true)
          .forEach(
              (second, report) -> largest.merge(second, report.getOrDefault(api, 0L), Math::max));
    }
    if (seconds.isEmpty()) {
      return 0;
    }
    long sum = 0;
    for (long v : largest.values()) {
      sum += v;
    }
    return (double) sum / seconds.size();
  }

  /**
   * The end of the last second in which any router reported a request in flight for the API, or
   * async requests waiting for it.
   */
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
        s.pendingBySecond.headMap(oldestSecond, false).clear();
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
