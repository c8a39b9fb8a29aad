package io.serval.bench.load;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.HdrHistogram.Recorder;

/**
 * Drives a {@link Target} with a fixed number of outstanding requests (a closed loop: each of the
 * {@code concurrency} callers sends its next request as soon as the previous one completes), first
 * for a warm-up period that is not recorded, then for a measurement period bounded in time and in
 * request count.
 *
 * <p>Callers are chains of callbacks rather than threads, so that a network client costs no thread
 * per outstanding request; a blocking target supplies its own threads.
 */
public final class ClosedLoopRunner {

  /** How long to wait for in-flight requests after the measurement period before giving up. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final LongSupplier nanoTime;

  public ClosedLoopRunner(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  public ClosedLoopRunner() {
    this(System::nanoTime);
  }

  public LoadResult run(
      Target target, int concurrency, Duration warmup, Duration measure, long maxRequests)
      throws InterruptedException {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    Point point = new Point(target, concurrency, warmup, measure, maxRequests);
    return point.run();
  }

  private final class Point {
    private final Target target;
    private final int concurrency;
    private final long recordFrom;
    private final long stopAt;
    private final long maxRequests;
    private final Recorder recorder = new Recorder(3);
    private final AtomicLong issuedMeasured = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastCompletion = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final CountDownLatch chainsDone;

    Point(Target target, int concurrency, Duration warmup, Duration measure, long maxRequests) {
      this.target = target;
      this.concurrency = concurrency;
      long now = nanoTime.getAsLong();
      this.recordFrom = now + warmup.toNanos();
      this.stopAt = recordFrom + measure.toNanos();
      this.maxRequests = maxRequests;
      this.chainsDone = new CountDownLatch(concurrency);
      this.lastCompletion.set(recordFrom);
    }

    LoadResult run() throws InterruptedException {
      for (int i = 0; i < concurrency; i++) {
        next();
      }
      long waitNanos = Math.max(0, stopAt - nanoTime.getAsLong()) + DRAIN_TIMEOUT.toNanos();
      boolean drained = chainsDone.await(waitNanos, TimeUnit.NANOSECONDS);
      long stuck = drained ? 0 : chainsDone.getCount();
      if (stuck > 0) {
        firstError.compareAndSet(null, stuck + " requests never completed");
      }
      var histogram = recorder.getIntervalHistogram();
      boolean any = histogram.getTotalCount() > 0;
      return new LoadResult(
          succeeded.get(),
          failed.get() + stuck,
          lastCompletion.get() - recordFrom,
          any ? histogram.getValueAtPercentile(50) / 1000.0 : Double.NaN,
          any ? histogram.getValueAtPercentile(99) / 1000.0 : Double.NaN,
          any ? histogram.getMean() / 1000.0 : Double.NaN,
          firstError.get());
    }

    /**
     * Issues requests for one caller until the point ends. Loops rather than recursing when a
     * request completes synchronously, so that fast failures cannot overflow the stack.
     */
    private void next() {
      while (true) {
        long start = nanoTime.getAsLong();
        if (start >= stopAt || (start >= recordFrom && issuedMeasured.get() >= maxRequests)) {
          chainsDone.countDown();
          return;
        }
        if (start >= recordFrom) {
          issuedMeasured.incrementAndGet();
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
                next();
              });
          return;
        }
        completed(start, failureOf(response));
      }
    }

    private void completed(long start, Throwable error) {
      long end = nanoTime.getAsLong();
      if (start < recordFrom) {
        return;
      }
      lastCompletion.accumulateAndGet(end, Math::max);
      if (error == null) {
        succeeded.incrementAndGet();
        recorder.recordValue(Math.max(0, end - start));
      } else {
        failed.incrementAndGet();
        firstError.compareAndSet(null, describe(error));
      }
    }
  }

  private static Throwable failureOf(CompletableFuture<?> done) {
    try {
      done.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** The message of the real failure behind future wrappers. */
  public static String describe(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
