package io.serval.predictor.batching;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Groups concurrent requests into batches, Triton style: requests with the same key (datatypes,
 * non-batch dimensions, requested outputs) are joined in arrival order until their rows reach
 * {@code maxBatchSize}; a batch is released when it is full, or when its oldest request has waited
 * {@code maxQueueDelay}. Requests with different keys never share a batch.
 *
 * <p>Workers pull batches ({@link #take}), so while every worker is busy requests keep joining the
 * open batches: load makes batches larger instead of queues longer. The queue is bounded by {@code
 * maxQueueSize} requests; past it {@link #submit} refuses at once.
 *
 * <p>No I/O and no threads of its own; time comes from an injected {@link Ticker}.
 *
 * @param <I> a request's input
 * @param <O> a request's result
 */
public final class DynamicBatcher<I, O> {

  private final int maxBatchSize;
  private final long maxQueueDelayNanos;
  private final int maxQueueSize;
  private final Ticker ticker;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  /** Open (still growing) groups, oldest first: insertion order is creation order. */
  private final LinkedHashMap<Object, Group<I, O>> open = new LinkedHashMap<>();

  /**
   * Batches that can grow no further, in the order they closed. A list rather than a deque so that
   * a withdrawn request's batch can be replaced in place.
   */
  private final LinkedList<Batch<I, O>> ready = new LinkedList<>();

  private int queued;
  private boolean closed;

  public DynamicBatcher(BatchingPolicy policy, Ticker ticker) {
    this.maxBatchSize = policy.maxBatchSize();
    this.maxQueueDelayNanos = policy.maxQueueDelay().toNanos();
    this.maxQueueSize = policy.maxQueueSize();
    this.ticker = ticker;
  }

  /**
   * Queues a request.
   *
   * @param key requests share a batch only when their keys are equal
   * @param rows the request's dimension 0 (counted as at least 1 towards the batch size)
   * @return completed by whoever runs the request's batch
   * @throws QueueFullException at once when {@code maxQueueSize} requests are waiting, or after
   *     {@link #close()}
   */
  public CompletableFuture<O> submit(Object key, int rows, I input) {
    CompletableFuture<O> result = new CompletableFuture<>();
    int weight = Math.max(1, rows);
    lock.lock();
    try {
      if (closed) {
        throw new QueueFullException("the predictor is shutting down", true);
      }
      if (queued >= maxQueueSize) {
        throw new QueueFullException(
            "the queue is full: "
                + queued
                + " requests waiting (max-queue-size "
                + maxQueueSize
                + ")",
            false);
      }
      long now = ticker.nanoTime();
      Batch.Entry<I, O> entry = new Batch.Entry<>(input, rows, now, result);
      queued++;
      Group<I, O> group = open.isEmpty() ? null : open.get(key);
      // A waiting worker is woken only when there is something new for it: a batch that may run,
      // or a first open group whose delay it must time. A request joining a group that stays
      // open changes neither, and waking a worker for it (once per request under load) cost a
      // futex wake and two context switches per request for nothing.
      boolean wake = false;
      if (group != null && group.rows + weight > maxBatchSize) {
        open.remove(key);
        ready.add(group.toBatch());
        group = null;
        wake = true;
      }
      if (group == null && weight >= maxBatchSize) {
        // Full on its own (always so with batching off): skip the open map.
        ready.add(new Batch<>(key, List.of(entry), rows));
        wake = true;
      } else {
        if (group == null) {
          group = new Group<>(key, now);
          // Only a new oldest group moves the earliest due time a waiting worker times.
          wake |= open.isEmpty();
          open.put(key, group);
        }
        group.add(entry, weight);
        if (group.rows >= maxBatchSize) {
          open.remove(key);
          ready.add(group.toBatch());
          wake = true;
        }
      }
      if (wake) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
    return result;
  }

  /**
   * Removes a request that is still queued, so that no worker runs it: its caller went away (a
   * cancelled call or a passed deadline), and running it would only delay the requests behind it.
   *
   * @param result the future {@link #submit} returned for the request
   * @return true when the request was queued and is now removed; false when a worker already took
   *     it (or it was never queued)
   */
  public boolean withdraw(CompletableFuture<O> result) {
    lock.lock();
    try {
      for (Iterator<Group<I, O>> it = open.values().iterator(); it.hasNext(); ) {
        Group<I, O> g = it.next();
        if (g.remove(result)) {
          if (g.entries.isEmpty()) {
            it.remove();
          }
          queued--;
          return true;
        }
      }
      for (ListIterator<Batch<I, O>> it = ready.listIterator(); it.hasNext(); ) {
        Batch<I, O> b = it.next();
        Batch<I, O> rest = b.without(result);
        if (rest != b) {
          if (rest.size() == 0) {
            it.remove();
          } else {
            it.set(rest);
          }
          queued--;
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next batch that may run now, without waiting: the oldest full one, else the oldest open one
   * whose first request has waited {@code maxQueueDelay} (any open one once closed).
   *
   * @return null when no batch is due
   */
  public Batch<I, O> poll() {
    lock.lock();
    try {
      return pollLocked(ticker.nanoTime());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the next batch that may run.
   *
   * @return null when none became due within {@code maxWait}, or when closed and drained
   */
  public Batch<I, O> take(long maxWait, TimeUnit unit) throws InterruptedException {
    long waitUntil = System.nanoTime() + unit.toNanos(maxWait);
    lock.lockInterruptibly();
    try {
      while (true) {
        long now = ticker.nanoTime();
        Batch<I, O> batch = pollLocked(now);
        if (batch != null) {
          if (!ready.isEmpty() || !open.isEmpty()) {
            // Pass the turn on: another worker runs the next ready batch, or times the open group
            // now oldest (submit wakes a worker only for the first open group).
            changed.signal();
          }
          return batch;
        }
        if (closed) {
          return null;
        }
        long wait = waitUntil - System.nanoTime();
        if (wait <= 0) {
          return null;
        }
        Group<I, O> oldest = oldestOpen();
        if (oldest != null) {
          wait = Math.min(wait, oldest.firstNanos + maxQueueDelayNanos - now);
        }
        changed.awaitNanos(Math.max(wait, 1));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Workers waiting in {@link #take} for a batch (for tests). */
  int waitingWorkers() {
    lock.lock();
    try {
      return lock.getWaitQueueLength(changed);
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting (queued, not yet taken by a worker). */
  public int queued() {
    lock.lock();
    try {
      return queued;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new requests from now on; requests already queued are released at once, without waiting
   * for company.
   */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** True once closed and every queued request has been taken. */
  public boolean isDrained() {
    lock.lock();
    try {
      return closed && queued == 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes every queued request and fails it with {@code cause} (used when the shutdown grace
   * period ends before the queue drained).
   *
   * @return how many requests were failed
   */
  public int failQueued(Throwable cause) {
    List<Batch<I, O>> dropped = new ArrayList<>();
    lock.lock();
    try {
      dropped.addAll(ready);
      ready.clear();
      for (Group<I, O> g : open.values()) {
        dropped.add(g.toBatch());
      }
      open.clear();
      queued = 0;
    } finally {
      lock.unlock();
    }
    int n = 0;
    for (Batch<I, O> b : dropped) {
      b.fail(cause);
      n += b.size();
    }
    return n;
  }

  private Batch<I, O> pollLocked(long now) {
    Batch<I, O> batch = ready.poll();
    if (batch == null) {
      Group<I, O> oldest = oldestOpen();
      if (oldest != null && (closed || now - oldest.firstNanos >= maxQueueDelayNanos)) {
        open.remove(oldest.key);
        batch = oldest.toBatch();
      }
    }
    if (batch != null) {
      queued -= batch.size();
    }
    return batch;
  }

  private Group<I, O> oldestOpen() {
    if (open.isEmpty()) {
      return null;
    }
    Iterator<Group<I, O>> it = open.values().iterator();
    return it.next();
  }

  private static final class Group<I, O> {
    final Object key;
    final long firstNanos;
    final List<Batch.Entry<I, O>> entries = new ArrayList<>();
    int rows;
    int realRows;

    Group(Object key, long firstNanos) {
      this.key = key;
      this.firstNanos = firstNanos;
    }

    void add(Batch.Entry<I, O> entry, int weight) {
      entries.add(entry);
      rows += weight;
      realRows += entry.rows();
    }

    boolean remove(CompletableFuture<?> result) {
      for (Iterator<Batch.Entry<I, O>> it = entries.iterator(); it.hasNext(); ) {
        Batch.Entry<I, O> e = it.next();
        if (e.result() == result) {
          it.remove();
          rows -= Math.max(1, e.rows());
          realRows -= e.rows();
          return true;
        }
      }
      return false;
    }

    Batch<I, O> toBatch() {
      return new Batch<>(key, entries, realRows);
    }
  }
}
