package io.serval.bench.target;

import io.serval.bench.load.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The batching ceiling: requests joined in-process, with no transport, no encoding and no copies,
 * into batches of up to {@code maxBatchSize} rows run on the predictor's sessions (one thread per
 * worker session). A worker takes what is queued, waits up to {@code maxQueueDelay} for a full
 * batch, and runs it as one call. Its throughput over the in-process batch-1 point is what batching
 * can gain at most for this model on this machine.
 */
public final class InProcessBatchTarget implements Target {
  private final InProcessModel model;
  private final int maxBatchSize;
  private final long maxQueueDelayNanos;
  private final LinkedBlockingQueue<CompletableFuture<Void>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  public InProcessBatchTarget(InProcessModel model, int maxBatchSize, long maxQueueDelayNanos) {
    this.model = model;
    this.maxBatchSize = maxBatchSize;
    this.maxQueueDelayNanos = maxQueueDelayNanos;
    for (int w = 0; w < model.workers(); w++) {
      int worker = w;
      Thread t =
          Thread.ofPlatform()
              .name("inproc-batch-" + model.workload().name() + "-" + w)
              .daemon(true)
              .start(() -> loop(worker));
      threads.add(t);
    }
  }

  @Override
  public CompletableFuture<?> call() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("closed"));
    } else {
      queue.add(f);
    }
    return f;
  }

  private void loop(int worker) {
    List<CompletableFuture<Void>> batch = new ArrayList<>(maxBatchSize);
    try {
      while (!closed) {
        CompletableFuture<Void> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.clear();
        batch.add(first);
        long deadline = System.nanoTime() + maxQueueDelayNanos;
        while (batch.size() < maxBatchSize) {
          queue.drainTo(batch, maxBatchSize - batch.size());
          long left = deadline - System.nanoTime();
          if (batch.size() >= maxBatchSize || left <= 0) {
            break;
          }
          CompletableFuture<Void> next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        try {
          model.runBatch(worker, batch.size());
          batch.forEach(f -> f.complete(null));
        } catch (Exception e) {
          batch.forEach(f -> f.completeExceptionally(e));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (CompletableFuture<Void> f; (f = queue.poll()) != null; ) {
      f.completeExceptionally(new IllegalStateException("closed"));
    }
  }
}
