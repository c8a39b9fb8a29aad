package io.serval.router.rest;

import io.serval.router.queue.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The async backlog bound per API (serval.router.async.max-backlog-per-api). The store's count of
 * unfinished requests is read at most once per {@code refresh} (a grouped count over the table is
 * not a query to run per request); the requests accepted since are added to it, so that a burst
 * between two reads cannot pass the bound by more than what other routers accept meanwhile.
 */
final class BacklogLimit {
  private final Supplier<Map<String, Long>> read;
  private final long max;
  private final Ticker ticker;
  private final long refreshNanos;
  private Map<String, Long> counted = Map.of();
  private final Map<String, Long> acceptedSince = new HashMap<>();
  private long readAt;
  private boolean everRead;

  /**
   * @param read the store's unfinished requests per API
   */
  BacklogLimit(Supplier<Map<String, Long>> read, long max, Ticker ticker, Duration refresh) {
    this.read = read;
    this.max = max;
    this.ticker = ticker;
    this.refreshNanos = refresh.toNanos();
  }

  /** Counts one more request of {@code api} if the bound allows it; false when it is reached. */
  synchronized boolean tryAccept(String api) {
    long now = ticker.nanos();
    if (!everRead || now - readAt >= refreshNanos) {
      counted = read.get();
      acceptedSince.clear();
      readAt = now;
      everRead = true;
    }
    long backlog = counted.getOrDefault(api, 0L) + acceptedSince.getOrDefault(api, 0L);
    if (backlog >= max) {
      return false;
    }
    acceptedSince.merge(api, 1L, Long::sum);
    return true;
  }

  long max() {
    return max;
  }
}
