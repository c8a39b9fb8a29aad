package io.serval.router.async;

import io.serval.store.AsyncRecord;
import io.serval.store.AsyncStore;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Drives the held result requests ({@link ResultWaiters}) over time, on one thread of its own (the
 * store read blocks): lets go of waiters whose wait is over, and every {@code recheck} reads which
 * of the awaited requests have finished, in one store read for all of them, so that a result
 * another router wrote (a shared PostgreSQL) reaches a client held here without any notification.
 * Results this router writes are handed over at once by the pump ({@link #finished}).
 */
public final class ResultWatch implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ResultWatch.class);

  /** How often waits are checked for their end: the precision of {@code wait=N}. */
  private static final Duration EXPIRY_TICK = Duration.ofMillis(50);

  private final ResultWaiters waiters;
  private final AsyncStore store;
  private final Duration recheck;
  private final ScheduledExecutorService thread;
  private long lastRecheck;

  /**
   * @param recheck how often the store is read for results written elsewhere
   */
  public ResultWatch(ResultWaiters waiters, AsyncStore store, Duration recheck) {
    if (!recheck.isPositive()) {
      throw new IllegalArgumentException(
          "serval.router.async.result-recheck-interval must be positive, got " + recheck);
    }
    this.waiters = waiters;
    this.store = store;
    this.recheck = recheck;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "serval-async-results");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts checking. */
  public void start() {
    lastRecheck = System.nanoTime();
    long tick = Math.min(EXPIRY_TICK.toNanos(), recheck.toNanos());
    thread.scheduleWithFixedDelay(this::tickSafely, tick, tick, TimeUnit.NANOSECONDS);
  }

  /** See {@link ResultWaiters#add}. */
  public Optional<CompletableFuture<Optional<AsyncRecord>>> hold(String id, Duration wait) {
    return waiters.add(id, wait);
  }

  /** Result requests held now (a gauge: abandoned ones must not pile up). */
  public int held() {
    return waiters.size();
  }

  /** A request finished on this router, its state committed: its waiters answer now. */
  public void finished(AsyncRecord record) {
    waiters.finished(record);
  }

  private void tickSafely() {
    try {
      waiters.expireDue();
      long now = System.nanoTime();
      if (now - lastRecheck >= recheck.toNanos()) {
        lastRecheck = now;
        Set<String> ids = waiters.ids();
        if (!ids.isEmpty()) {
          waiters.changed(store.finishedAmong(ids));
        }
      }
    } catch (RuntimeException e) {
      // The store may be briefly unreachable: the next tick reads again; waits still end.
      LOG.warnf(e, "async results: re-reading held requests failed");
    }
  }

  /** Stops; held clients are let go (they read the store and answer what it says). */
  @Override
  public void close() {
    thread.shutdownNow();
    waiters.changed(waiters.ids());
  }
}
