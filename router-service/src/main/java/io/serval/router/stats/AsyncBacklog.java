package io.serval.router.stats;

import java.util.Map;

/**
 * The async requests of each API waiting in the store for a router to take them, as the pump last
 * counted them: what the stats reports add for the autoscaler (Cortex's async autoscaling counts
 * the queue). The pump writes it about once a second from its own thread; the stats timer reads it.
 * Counting in the pump keeps JDBC off the stats timer.
 */
public final class AsyncBacklog {
  private volatile Map<String, Long> pending = Map.of();

  /** Replaces the counts with a new reading of the store. */
  public void update(Map<String, Long> pendingByApi) {
    pending = Map.copyOf(pendingByApi);
  }

  /** The API's pending async requests at the last reading; 0 when it had none. */
  public long pending(String api) {
    return pending.getOrDefault(api, 0L);
  }
}
