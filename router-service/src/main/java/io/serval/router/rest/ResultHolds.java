package io.serval.router.rest;

import io.serval.store.AsyncRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a result request with {@code Prefer: wait=N} is held until its async request finishes: the
 * resource's view of the router's waiter registry (the wiring puts it on {@code async.ResultWatch},
 * which the pump tells of every result it commits).
 */
public interface ResultHolds {
  /** The longest one request is held (serval.router.async.max-result-wait); zero: never. */
  Duration maxWait();

  /**
   * Holds a client of request {@code id} for at most {@code wait}; empty when the router holds as
   * many as it may (the request is answered at once). The future completes with the request's
   * record when this router finished it, or with empty when the store is to be read (finished
   * elsewhere, or the wait is over); cancelling it lets go of the client.
   */
  Optional<CompletableFuture<Optional<AsyncRecord>>> hold(String id, Duration wait);

  /** A request finished here outside the pump (cancelled): its held clients answer now. */
  void finished(AsyncRecord record);

  /** Nothing is ever held: every result request is answered at once. */
  static ResultHolds none() {
    return new ResultHolds() {
      @Override
      public Duration maxWait() {
        return Duration.ZERO;
      }

      @Override
      public Optional<CompletableFuture<Optional<AsyncRecord>>> hold(String id, Duration wait) {
        return Optional.empty();
      }

      @Override
      public void finished(AsyncRecord record) {}
    };
  }
}
