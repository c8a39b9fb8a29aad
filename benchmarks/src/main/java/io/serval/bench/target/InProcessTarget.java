package io.serval.bench.target;

import io.serval.bench.load.Target;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls {@code session.run} directly, with the predictor's thread budget: {@code concurrency}
 * outstanding requests are served by min(concurrency, workers) threads, thread i always on worker
 * session i. More threads than cores would only measure the OS scheduler; this is the upper bound a
 * server around the same sessions can approach without batching.
 */
public final class InProcessTarget implements Target {
  private final InProcessModel model;
  private final ExecutorService clients;
  private final ThreadLocal<Integer> worker;

  public InProcessTarget(InProcessModel model, int concurrency) {
    this.model = model;
    AtomicInteger next = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread thread =
              new Thread(
                  runnable, "inproc-" + model.workload().name() + "-" + next.getAndIncrement());
          thread.setDaemon(true);
          return thread;
        };
    this.clients = Executors.newFixedThreadPool(Math.min(concurrency, model.workers()), factory);
    AtomicInteger assigned = new AtomicInteger();
    this.worker = ThreadLocal.withInitial(() -> assigned.getAndIncrement() % model.workers());
  }

  @Override
  public CompletableFuture<?> call() {
    return CompletableFuture.runAsync(
        () -> {
          try {
            model.run(worker.get());
          } catch (Exception e) {
            throw new IllegalStateException("session.run failed: " + e.getMessage(), e);
          }
        },
        clients);
  }

  @Override
  public void close() {
    clients.shutdown();
    try {
      if (!clients.awaitTermination(30, TimeUnit.SECONDS)) {
        clients.shutdownNow();
      }
    } catch (InterruptedException e) {
      clients.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
