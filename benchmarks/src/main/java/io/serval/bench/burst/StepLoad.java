package io.serval.bench.burst;

import io.serval.bench.load.ClosedLoopRunner;
import io.serval.bench.load.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A closed loop that steps up: {@code before} callers for the steady period, then {@code after}
 * callers (the step adds {@code after - before}) for at least the burst period, longer (up to the
 * longest burst) until {@code enough} says so. Each caller sends its next request as soon as the
 * previous one ends; every request's end is recorded.
 */
final class StepLoad {
  /** How long to wait for the last requests once the load has stopped issuing. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  /** How often the burst checks whether it has seen enough. */
  private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

  /**
   * A refused request is answered at once; a caller that failed waits this long before its next
   * request, so that a refusing platform is not flooded (and the client's CPU not spent on it).
   */
  private static final Executor AFTER_FAILURE =
      CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

  private final Target target;
  private final List<RequestRecord> records = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile long stopAtNanos;

  StepLoad(Target target) {
    this.target = target;
  }

  /** The instants the load started, stepped and ended (epoch milliseconds). */
  record Run(long startMillis, long stepAtMillis, long endMillis) {}

  /**
   * Runs the load; {@code onStep} runs at the step (on this thread), before the new callers start.
   *
   * @param burst the load after the step runs at least this long
   * @param longestBurst and at most this long, ending earlier once {@code enough} answers true
   * @return the start, step and end instants
   */
  Run run(
      int before,
      int after,
      Duration steady,
      Duration burst,
      Duration longestBurst,
      BooleanSupplier enough,
      Runnable onStep)
      throws InterruptedException {
    long startNanos = System.nanoTime();
    long stepNanos = startNanos + steady.toNanos();
    stopAtNanos = stepNanos + longestBurst.toNanos();
    CountDownLatch done = new CountDownLatch(after);
    long startMillis = System.currentTimeMillis();
    for (int i = 0; i < before; i++) {
      next(done);
    }
    LockSupport.parkNanos(steady.toNanos());
    long stepAtMillis = System.currentTimeMillis();
    onStep.run();
    for (int i = before; i < after; i++) {
      next(done);
    }
    long shortest = stepNanos + burst.toNanos();
    while (System.nanoTime() < stopAtNanos) {
      if (System.nanoTime() >= shortest && enough.getAsBoolean()) {
        stopAtNanos = System.nanoTime();
        break;
      }
      LockSupport.parkNanos(CHECK_INTERVAL.toNanos());
    }
    long waitNanos = DRAIN_TIMEOUT.toNanos();
    if (!done.await(waitNanos, TimeUnit.NANOSECONDS)) {
      firstError.compareAndSet(null, done.getCount() + " requests never completed");
    }
    return new Run(startMillis, stepAtMillis, System.currentTimeMillis());
  }

  List<RequestRecord> records() {
    return List.copyOf(records);
  }

  String firstError() {
    return firstError.get();
  }

  /** One caller: loops rather than recursing when a request completes synchronously. */
  private void next(CountDownLatch done) {
    while (true) {
      long start = System.nanoTime();
      if (start >= stopAtNanos) {
        done.countDown();
        return;
      }
      CompletableFuture<?> response;
      try {
        response = target.call();
      } catch (RuntimeException e) {
        response = CompletableFuture.failedFuture(e);
      }
      if (!response.isDone()) {
        response.whenComplete(
            (ignored, error) -> {
              completed(start, error);
              if (error == null) {
                next(done);
              } else {
                AFTER_FAILURE.execute(() -> next(done));
              }
            });
        return;
      }
      Throwable error = null;
      try {
        response.join();
      } catch (RuntimeException e) {
        error = e;
      }
      completed(start, error);
      if (error != null) {
        AFTER_FAILURE.execute(() -> next(done));
        return;
      }
    }
  }

  private void completed(long startNanos, Throwable error) {
    long latencyMicros = (System.nanoTime() - startNanos) / 1000;
    records.add(new RequestRecord(System.currentTimeMillis(), latencyMicros, error == null));
    if (error != null) {
      firstError.compareAndSet(null, ClosedLoopRunner.describe(error));
    }
  }
}
