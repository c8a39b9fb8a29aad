package io.serval.bench.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed loop of blocking submits: {@code threads} threads call the operation back to back until
 * {@code duration} has passed or {@code maxOps} have been started, and the result is the completed
 * operations per second over the time the threads really ran.
 */
public final class SubmitLoad {

  /** One blocking submit. */
  @FunctionalInterface
  public interface Operation {
    /**
     * @param thread which of the load's threads calls (so each may have its own client)
     */
    void run(int thread) throws Exception;
  }

  /**
   * @param ops operations that completed
   * @param errors operations that threw
   * @param seconds how long the threads ran
   * @param firstError the first failure, or null
   */
  public record Result(long ops, long errors, double seconds, String firstError) {
    public double perSecond() {
      return seconds > 0 ? ops / seconds : 0;
    }
  }

  private SubmitLoad() {}

  public static Result run(int threads, Duration duration, long maxOps, Operation op)
      throws InterruptedException {
    if (threads < 1 || maxOps < 1 || !duration.isPositive()) {
      throw new IllegalArgumentException("threads and maxOps must be >= 1, duration positive");
    }
    AtomicLong started = new AtomicLong();
    AtomicLong ops = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long begin = System.nanoTime();
    long end = begin + duration.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          Thread.ofPlatform()
              .name("submit-" + t)
              .start(
                  () -> {
                    while (System.nanoTime() < end && started.incrementAndGet() <= maxOps) {
                      try {
                        op.run(thread);
                        ops.incrementAndGet();
                      } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                      }
                    }
                  }));
    }
    for (Thread w : workers) {
      w.join();
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    return new Result(ops.get(), errors.get(), seconds, firstError.get());
  }
}
