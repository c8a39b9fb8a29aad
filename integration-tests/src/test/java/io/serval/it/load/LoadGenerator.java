package io.serval.it.load;

import io.serval.it.client.V2HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends requests from {@code concurrency} threads, optionally paced to a rate, until it has sent
 * {@code maxRequests}, {@code maxDuration} has passed, or it is stopped, whichever comes first.
 * Every outcome (status, latency, serving revision) is recorded. Only ever aimed at loopback.
 */
public final class LoadGenerator implements AutoCloseable {

  /** One request; must not throw (transport failures become outcomes). */
  @FunctionalInterface
  public interface Call {
    Outcome call();
  }

  /**
   * @param ratePerSecond 0 = each thread sends its next request as soon as the last one answered
   */
  public record Spec(
      String name, int concurrency, double ratePerSecond, long maxRequests, Duration maxDuration) {
    public Spec {
      if (concurrency < 1 || concurrency > 256) {
        throw new IllegalArgumentException("concurrency must be 1..256, got " + concurrency);
      }
      if (maxRequests < 1 || maxDuration.isNegative() || maxDuration.isZero()) {
        throw new IllegalArgumentException("load must be bounded in count and time");
      }
    }
  }

  private final Spec spec;
  private final Call call;
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicLong issued = new AtomicLong();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Semaphore permits = new Semaphore(0);
  private final List<Thread> workers = new ArrayList<>();
  private final ScheduledExecutorService pacer;
  private final long startNanos;
  private final long deadlineNanos;

  private LoadGenerator(Spec spec, Call call) {
    this.spec = spec;
    this.call = call;
    this.startNanos = System.nanoTime();
    this.deadlineNanos = startNanos + spec.maxDuration().toNanos();
    if (spec.ratePerSecond() > 0) {
      pacer =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("load-pacer-" + spec.name()).unstarted(r));
      long period = (long) (1e9 / spec.ratePerSecond());
      // A backlog of at most `concurrency` permits: late workers catch up, but never in a flood.
      pacer.scheduleAtFixedRate(
          () -> {
            if (permits.availablePermits() < spec.concurrency()) {
              permits.release();
            }
          },
          0,
          period,
          TimeUnit.NANOSECONDS);
    } else {
      pacer = null;
    }
    for (int i = 0; i < spec.concurrency(); i++) {
      Thread t =
          Thread.ofPlatform().daemon().name("load-" + spec.name() + "-" + i).unstarted(this::work);
      workers.add(t);
      t.start();
    }
  }

  public static LoadGenerator start(Spec spec, Call call) {
    return new LoadGenerator(spec, call);
  }

  /** Wraps an HTTP call so that a transport failure is recorded, not thrown. */
  public static Call http(java.util.function.Supplier<io.serval.it.client.HttpAnswer> request) {
    return () -> {
      try {
        return request.get().toOutcome();
      } catch (V2HttpClient.TransportFailure e) {
        return e.outcome();
      }
    };
  }

  private void work() {
    while (!stopping.get() && System.nanoTime() < deadlineNanos) {
      if (pacer != null) {
        try {
          if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            continue;
          }
        } catch (InterruptedException e) {
          return;
        }
      }
      if (issued.incrementAndGet() > spec.maxRequests()) {
        return;
      }
      Outcome o;
      try {
        o = call.call();
      } catch (RuntimeException e) {
        o = new Outcome(System.nanoTime(), 0, "CLIENT-ERROR", false, null, e.toString());
      }
      outcomes.add(o);
    }
  }

  /** Outcomes so far. */
  public LoadReport snapshot() {
    return new LoadReport(spec.name(), startNanos, List.copyOf(outcomes));
  }

  public long completed() {
    return outcomes.size();
  }

  /** Waits until the count or time bound ends the load (bounded by maxDuration + 60 s). */
  public LoadReport await() {
    long waitUntil = deadlineNanos + TimeUnit.SECONDS.toNanos(60);
    for (Thread t : workers) {
      long left = waitUntil - System.nanoTime();
      try {
        if (left <= 0 || !t.join(Duration.ofNanos(left))) {
          stopping.set(true);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping.set(true);
      }
    }
    shutdownPacer();
    return snapshot();
  }

  /** Stops sending, waits for the requests in flight (each bounded by its client timeout). */
  public LoadReport stop() {
    stopping.set(true);
    return await();
  }

  private void shutdownPacer() {
    if (pacer != null) {
      pacer.shutdownNow();
    }
  }

  @Override
  public void close() {
    stopping.set(true);
    shutdownPacer();
  }
}
