package io.serval.predictor.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Requests joined to run as one model call, in arrival order. Whoever takes a batch from the {@link
 * DynamicBatcher} must complete it, with {@link #complete} or {@link #fail}.
 *
 * @param <I> a request's input
 * @param <O> a request's result
 */
public final class Batch<I, O> {

  /** One request in a batch. */
  public record Entry<I, O>(I input, int rows, long enqueuedNanos, CompletableFuture<O> result) {}

  private final Object key;
  private final List<Entry<I, O>> entries;
  private final int rows;

  Batch(Object key, List<Entry<I, O>> entries, int rows) {
    this.key = key;
    this.entries = entries;
    this.rows = rows;
  }

  /** What every request of the batch has in common (datatypes, non-batch dims, outputs). */
  public Object key() {
    return key;
  }

  public List<Entry<I, O>> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  /** Sum of the requests' dimension 0. */
  public int rows() {
    return rows;
  }

  /**
   * Hands each request its own result.
   *
   * @param results one per entry, in entry order
   */
  public void complete(List<O> results) {
    if (results.size() != entries.size()) {
      fail(
          new IllegalStateException(
              "batch of " + entries.size() + " requests produced " + results.size() + " results"));
      return;
    }
    for (int i = 0; i < entries.size(); i++) {
      entries.get(i).result().complete(results.get(i));
    }
  }

  /**
   * This batch less the request with the given result future.
   *
   * @return this same batch when the request is not in it
   */
  Batch<I, O> without(CompletableFuture<?> result) {
    for (int i = 0; i < entries.size(); i++) {
      Entry<I, O> e = entries.get(i);
      if (e.result() == result) {
        List<Entry<I, O>> rest = new ArrayList<>(entries);
        rest.remove(i);
        return new Batch<>(key, rest, rows - e.rows());
      }
    }
    return this;
  }

  /** Fails every request of this batch (and only those) with the same cause. */
  public void fail(Throwable cause) {
    for (Entry<I, O> e : entries) {
      e.result().completeExceptionally(cause);
    }
  }
}
