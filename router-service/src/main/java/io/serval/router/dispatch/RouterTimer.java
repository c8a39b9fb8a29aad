package io.serval.router.dispatch;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The router's one timer thread: deadline sweeps, retry backoffs, health probes, stats ticks and
 * reconnections. Tasks only move small objects around; none blocks.
 */
public final class RouterTimer implements AutoCloseable {
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "serval-router-timer");
            t.setDaemon(true);
            return t;
          });

  public ScheduledExecutorService executor() {
    return executor;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
