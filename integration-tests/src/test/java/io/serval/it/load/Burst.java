package io.serval.it.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** N requests released at the same instant from N threads. */
public final class Burst {

  private Burst() {}

  public static LoadReport fire(String name, int n, LoadGenerator.Call call, Duration max) {
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return call.call();
                }));
      }
      if (!ready.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("burst threads did not start");
      }
      go.countDown();
      List<Outcome> out = new ArrayList<>();
      long deadline = System.nanoTime() + max.toNanos();
      for (Future<Outcome> f : futures) {
        out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return new LoadReport(name, start, out);
    } catch (Exception e) {
      throw new AssertionError("burst " + name + " failed: " + e, e);
    } finally {
      pool.shutdownNow();
    }
  }
}
