package io.serval.router.stats;

import java.util.Arrays;

/**
 * One API's traffic over the last {@code buckets × bucketMillis}: a ring of fixed buckets, each
 * with its answer counts by class and a latency histogram, reused in turn as time moves on, so that
 * memory stays the same however long the router runs. Not thread-safe ({@link ApiTraffic} locks).
 * Time comes in as epoch milliseconds.
 */
final class TrafficWindow {
  private static final class Bucket {
    long index = -1;
    long ok;
    long clientErrors;
    long serverErrors;
    long latencyNanos;
    final long[] bins = new long[LatencyBins.COUNT];

    void reset(long newIndex) {
      index = newIndex;
      ok = 0;
      clientErrors = 0;
      serverErrors = 0;
      latencyNanos = 0;
      Arrays.fill(bins, 0);
    }
  }

  private final long bucketMillis;
  private final Bucket[] ring;

  TrafficWindow(long bucketMillis, int buckets) {
    if (bucketMillis <= 0 || buckets <= 0) {
      throw new IllegalArgumentException("bucket size and count must be positive");
    }
    this.bucketMillis = bucketMillis;
    this.ring = new Bucket[buckets];
    for (int i = 0; i < buckets; i++) {
      ring[i] = new Bucket();
    }
  }

  /**
   * @param httpClass 2, 4 or 5: the class of HTTP status the answer has (or would have over REST)
   */
  void record(long nowMillis, int httpClass, long latencyNanos) {
    long index = Math.floorDiv(nowMillis, bucketMillis);
    Bucket b = ring[(int) Math.floorMod(index, (long) ring.length)];
    if (b.index != index) {
      b.reset(index);
    }
    switch (httpClass) {
      case 2 -> b.ok++;
      case 4 -> b.clientErrors++;
      default -> b.serverErrors++;
    }
    b.latencyNanos += Math.max(0, latencyNanos);
    b.bins[LatencyBins.of(latencyNanos)]++;
  }

  /**
   * The window ending now.
   *
   * @param upMillis how long the router has recorded: the rate is over the shorter of this and the
   *     window, so that a router up for a minute does not report a fifth of its rate
   */
  WindowSummary summarize(long nowMillis, long upMillis) {
    long current = Math.floorDiv(nowMillis, bucketMillis);
    long ok = 0;
    long clientErrors = 0;
    long serverErrors = 0;
    long latency = 0;
    long[] bins = new long[LatencyBins.COUNT];
    for (Bucket b : ring) {
      if (b.index > current - ring.length && b.index <= current) {
        ok += b.ok;
        clientErrors += b.clientErrors;
        serverErrors += b.serverErrors;
        latency += b.latencyNanos;
        for (int i = 0; i < bins.length; i++) {
          bins[i] += b.bins[i];
        }
      }
    }
    long requests = ok + clientErrors + serverErrors;
    long spanMillis = Math.max(bucketMillis, Math.min(upMillis, windowMillis()));
    return new WindowSummary(
        requests,
        requests * 1000.0 / spanMillis,
        ok,
        clientErrors,
        serverErrors,
        requests == 0 ? Double.NaN : latency / 1e6 / requests,
        LatencyBins.quantileMillis(bins, requests, 0.50),
        LatencyBins.quantileMillis(bins, requests, 0.99));
  }

  long windowMillis() {
    return bucketMillis * ring.length;
  }
}
