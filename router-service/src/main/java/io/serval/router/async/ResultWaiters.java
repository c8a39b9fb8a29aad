package io.serval.router.async;

import io.serval.router.queue.Ticker;
import io.serval.store.AsyncRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The result requests this router holds ({@code GET} with {@code Prefer: wait=N}): per request id,
 * the futures of the clients waiting for it. A waiter costs an entry here and no thread, so a held
 * GET never blocks an event loop or a worker. Bounded: past {@code max} waiters, {@link #add}
 * refuses and the GET is answered at once, as without {@code wait}.
 *
 * <p>A waiter's future completes with the finished record when this router wrote it ({@link
 * #finished}: the bytes are handed over, no store read), or with empty when the client should read
 * the store (another router wrote it and a re-read saw it, {@link #changed}; or the wait is over,
 * {@link #expireDue}). Cancelling the future (the client closed its connection) removes the waiter.
 * Thread-safe; futures are completed outside the lock, on the caller's thread.
 */
public final class ResultWaiters {
  private final int max;
  private final Ticker ticker;
  private final Map<String, List<Waiter>> byId = new HashMap<>();
  private int size;

  private static final class Waiter {
    final String id;
    final long deadline;
    final CompletableFuture<Optional<AsyncRecord>> outcome = new CompletableFuture<>();

    Waiter(String id, long deadline) {
      this.id = id;
      this.deadline = deadline;
    }
  }

  /**
   * @param max waiters held at most (serval.router.async.max-result-waiters)
   */
  public ResultWaiters(int max, Ticker ticker) {
    if (max < 0) {
      throw new IllegalArgumentException("max waiters must be >= 0, got " + max);
    }
    this.max = max;
    this.ticker = ticker;
  }

  /**
   * Holds a client waiting for request {@code id} for at most {@code wait}; empty when {@code max}
   * are held already.
   */
  public Optional<CompletableFuture<Optional<AsyncRecord>>> add(String id, Duration wait) {
    Waiter w = new Waiter(id, ticker.nanos() + wait.toNanos());
    synchronized (this) {
      if (size >= max) {
        return Optional.empty();
      }
      byId.computeIfAbsent(id, k -> new ArrayList<>(1)).add(w);
      size++;
    }
    w.outcome.whenComplete(
        (r, e) -> {
          if (w.outcome.isCancelled()) {
            remove(w);
          }
        });
    return Optional.of(w.outcome);
  }

  /** The request was finished (and committed) on this router: hands its record to its waiters. */
  public int finished(AsyncRecord record) {
    List<Waiter> ws;
    synchronized (this) {
      ws = byId.remove(record.id());
      if (ws == null) {
        return 0;
      }
      size -= ws.size();
    }
    for (Waiter w : ws) {
      w.outcome.complete(Optional.of(record));
    }
    return ws.size();
  }

  /** These requests finished elsewhere: their waiters read the store again. */
  public int changed(Collection<String> ids) {
    List<Waiter> done = new ArrayList<>();
    synchronized (this) {
      for (String id : ids) {
        List<Waiter> ws = byId.remove(id);
        if (ws != null) {
          size -= ws.size();
          done.addAll(ws);
        }
      }
    }
    for (Waiter w : done) {
      w.outcome.complete(Optional.empty());
    }
    return done.size();
  }

  /** Lets go of the waiters whose wait is over (they answer what the store says now). */
  public int expireDue() {
    long now = ticker.nanos();
    List<Waiter> due = new ArrayList<>();
    synchronized (this) {
      if (size == 0) {
        return 0;
      }
      for (Iterator<List<Waiter>> it = byId.values().iterator(); it.hasNext(); ) {
        List<Waiter> ws = it.next();
        for (Iterator<Waiter> wi = ws.iterator(); wi.hasNext(); ) {
          Waiter w = wi.next();
          if (now - w.deadline >= 0) {
            wi.remove();
            size--;
            due.add(w);
          }
        }
        if (ws.isEmpty()) {
          it.remove();
        }
      }
    }
    for (Waiter w : due) {
      w.outcome.complete(Optional.empty());
    }
    return due.size();
  }

  /** The ids someone waits for (for a re-read of the store). */
  public synchronized Set<String> ids() {
    return new HashSet<>(byId.keySet());
  }

  /** Waiters held now. */
  public synchronized int size() {
    return size;
  }

  private synchronized void remove(Waiter w) {
    List<Waiter> ws = byId.get(w.id);
    if (ws != null && ws.remove(w)) {
      size--;
      if (ws.isEmpty()) {
        byId.remove(w.id);
      }
    }
  }
}
