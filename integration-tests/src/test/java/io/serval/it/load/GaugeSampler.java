package io.serval.it.load;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/** Samples a gauge periodically while a load runs and keeps its maximum. */
public final class GaugeSampler implements AutoCloseable {

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("gauge-sampler").unstarted(r));
  private final AtomicReference<Double> max = new AtomicReference<>(Double.NEGATIVE_INFINITY);
  private final AtomicInteger samples = new AtomicInteger();
  private final AtomicReference<Throwable> error = new AtomicReference<>();

  public GaugeSampler(Duration period, DoubleSupplier gauge) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            double v = gauge.getAsDouble();
            max.accumulateAndGet(v, Math::max);
            samples.incrementAndGet();
          } catch (RuntimeException e) {
            error.compareAndSet(null, e);
          }
        },
        0,
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  public double max() {
    if (error.get() != null) {
      throw new AssertionError("sampling failed: " + error.get(), error.get());
    }
    return max.get();
  }

  public int samples() {
    return samples.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
