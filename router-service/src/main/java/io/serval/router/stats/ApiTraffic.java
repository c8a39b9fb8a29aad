package io.serval.router.stats;

import io.grpc.Status;
import io.serval.v2.V2Exception;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this router answered per API: a recent window ({@code serval get}'s columns, {@code GET
 * /v1/stats}) and cumulative totals since start (gRPC ModelStatistics). Fed by the dispatcher's
 * observer with the same calls as the Prometheus meters, so both count the same requests. An API's
 * numbers are dropped when the routes no longer have it ({@link #retain}). Time of day from the
 * injected clock.
 */
public final class ApiTraffic {

  /**
   * Counts and durations since the API was first seen.
   *
   * @param lastMillis when the last request ended (epoch milliseconds), 0 before any
   */
  public record Totals(
      long successes, long successNanos, long failures, long failureNanos, long lastMillis) {
    static final Totals NONE = new Totals(0, 0, 0, 0, 0);
  }

  private static final class PerApi {
    final TrafficWindow window;
    long successes;
    long successNanos;
    long failures;
    long failureNanos;
    long lastMillis;

    PerApi(TrafficWindow window) {
      this.window = window;
    }
  }

  private final Clock clock;
  private final long bucketMillis;
  private final int buckets;
  private final long startMillis;
  private final Map<String, PerApi> apis = new ConcurrentHashMap<>();

  /**
   * @param bucket the window's resolution
   * @param buckets how many buckets the window spans (window = bucket × buckets)
   */
  public ApiTraffic(Clock clock, Duration bucket, int buckets) {
    this.clock = clock;
    this.bucketMillis = bucket.toMillis();
    this.buckets = buckets;
    this.startMillis = clock.millis();
    if (bucketMillis <= 0 || buckets <= 0) {
      throw new IllegalArgumentException("the window needs a positive bucket size and count");
    }
  }

  /** The default: 30 buckets of 10 seconds, the last 5 minutes. */
  public static ApiTraffic lastFiveMinutes(Clock clock) {
    return new ApiTraffic(clock, Duration.ofSeconds(10), 30);
  }

  /** The span of the window. */
  public Duration window() {
    return Duration.ofMillis(bucketMillis * buckets);
  }

  /** A request for {@code api} ended with {@code code} after {@code latencyNanos}. */
  public void completed(String api, Status.Code code, long latencyNanos) {
    PerApi p = apis.computeIfAbsent(api, a -> new PerApi(new TrafficWindow(bucketMillis, buckets)));
    long now = clock.millis();
    synchronized (p) {
      p.window.record(now, httpClass(code), latencyNanos);
      if (code == Status.Code.OK) {
        p.successes++;
        p.successNanos += Math.max(0, latencyNanos);
      } else {
        p.failures++;
        p.failureNanos += Math.max(0, latencyNanos);
      }
      p.lastMillis = Math.max(p.lastMillis, now);
    }
  }

  /** Forgets the APIs not in {@code live} (deleted ones), so memory follows the routes. */
  public void retain(Collection<String> live) {
    Set<String> keep = Set.copyOf(live);
    apis.keySet().removeIf(api -> !keep.contains(api));
  }

  /** Each API's window, by name. */
  public Map<String, WindowSummary> windows() {
    long now = clock.millis();
    Map<String, WindowSummary> out = new TreeMap<>();
    apis.forEach(
        (api, p) -> {
          synchronized (p) {
            out.put(api, p.window.summarize(now, now - startMillis));
          }
        });
    return out;
  }

  /** The API's totals; zeros for an API that has had no request. */
  public Totals totals(String api) {
    PerApi p = apis.get(api);
    if (p == null) {
      return Totals.NONE;
    }
    synchronized (p) {
      return new Totals(p.successes, p.successNanos, p.failures, p.failureNanos, p.lastMillis);
    }
  }

  /** The names of the APIs with numbers, sorted. */
  public Set<String> apis() {
    return new TreeMap<>(apis).keySet();
  }

  /**
   * The class of the HTTP status a REST client gets for this gRPC code: 2, 4 or 5, by the rule the
   * router's REST edge answers with ({@link V2Exception#kindOf}), so the columns and the answers
   * never disagree. CANCELLED is the client's own doing (499).
   */
  static int httpClass(Status.Code code) {
    return code == Status.Code.OK ? 2 : V2Exception.kindOf(code).httpStatus() / 100;
  }
}
