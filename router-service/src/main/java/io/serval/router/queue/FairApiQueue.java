package io.serval.router.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one FIFO queue of an API in this router, with the per-replica slot accounting that decides
 * when a queued request may go. A request waits here (bounded by maxQueueLength, refused at once
 * past it) until some usable replica of its revision has a free slot (maxConcurrency per replica,
 * counted here), its deadline passes, or it is cancelled. Because the queue sits in front of all
 * replicas, a new replica takes queued work at once (Cortex #651 had per-replica queues).
 *
 * <p>Thread-safe; every method holds the queue's lock for a short, non-blocking section.
 *
 * @param <T> what the caller keeps with each request
 */
public final class FairApiQueue<T> {

  /** What happened to an offered request. */
  public enum Admission {
    /** A replica had a free slot: the entry's replica is set and the slot is taken. */
    DISPATCHED,
    /** Waiting for a slot; a later {@link #drain()} dispatches it. */
    QUEUED,
    /** The queue is full. */
    REJECTED
  }

  /** One request in this queue. */
  public static final class Entry<T> {
    private final T item;
    private final long deadlineNanos;
    private String revision;
    private String replica;
    private Set<String> tried = Set.of();

    public Entry(T item, String revision, long deadlineNanos) {
      this.item = item;
      this.revision = revision;
      this.deadlineNanos = deadlineNanos;
    }

    public T item() {
      return item;
    }

    public String revision() {
      return revision;
    }

    /** The replica it was dispatched to; null while queued. */
    public String replica() {
      return replica;
    }

    public long deadlineNanos() {
      return deadlineNanos;
    }

    /** Replicas already tried (and that refused); a retry goes elsewhere. */
    public Set<String> tried() {
      return tried;
    }
  }

  /** Result of a drain: entries now holding a slot, and entries removed because they expired. */
  public record Drained<T>(List<Entry<T>> dispatched, List<Entry<T>> expired) {
    private static final Drained<?> NONE = new Drained<>(List.of(), List.of());

    @SuppressWarnings("unchecked")
    static <T> Drained<T> none() {
      return (Drained<T>) NONE;
    }
  }

  private final Ticker ticker;
  private final ReplicaSelector selector;
  private final Predicate<String> usable;
  private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
  private final Map<String, int[]> inFlight = new HashMap<>();
  private Map<String, List<String>> replicasByRevision = Map.of();
  private int maxConcurrency;
  private int maxQueueLength;
  private int executing;

  /**
   * @param usable false for a replica that must not get work now (ejected)
   */
  public FairApiQueue(
      Ticker ticker,
      ReplicaSelector selector,
      Predicate<String> usable,
      int maxConcurrency,
      int maxQueueLength) {
    this.ticker = ticker;
    this.selector = selector;
    this.usable = usable;
    setLimits(maxConcurrency, maxQueueLength);
  }

  /**
   * Applies new routes for this API: limits, and the ready replicas of each revision. Queued
   * entries pinned to a revision that no longer exists are re-pinned with {@code repin}.
   */
  public synchronized void update(
      int maxConcurrency,
      int maxQueueLength,
      Map<String, List<String>> replicasByRevision,
      Supplier<String> repin) {
    setLimits(maxConcurrency, maxQueueLength);
    this.replicasByRevision = Map.copyOf(replicasByRevision);
    for (Entry<T> e : queue) {
      if (!this.replicasByRevision.containsKey(e.revision)) {
        e.revision = repin.get();
      }
    }
    Set<String> current = new HashSet<>();
    this.replicasByRevision.values().forEach(current::addAll);
    inFlight.entrySet().removeIf(en -> en.getValue()[0] == 0 && !current.contains(en.getKey()));
  }

  private void setLimits(int maxConcurrency, int maxQueueLength) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
    }
    if (maxQueueLength < 0) {
      throw new IllegalArgumentException("maxQueueLength must be >= 0, got " + maxQueueLength);
    }
    this.maxConcurrency = maxConcurrency;
    this.maxQueueLength = maxQueueLength;
  }

  /**
   * Dispatches the entry at once when the queue is empty and a replica of its revision has a free
   * slot; else queues it, or refuses it when maxQueueLength entries already wait.
   */
  public synchronized Admission offer(Entry<T> entry) {
    if (queue.isEmpty() && tryAssign(entry)) {
      return Admission.DISPATCHED;
    }
    if (queue.size() >= maxQueueLength) {
      return Admission.REJECTED;
    }
    queue.addLast(entry);
    return Admission.QUEUED;
  }

  /**
   * Puts a dispatched entry back at the head (its slot already released), for a retry on another
   * replica. The bound is not checked: the entry was admitted once.
   */
  public synchronized void requeueFirst(Entry<T> entry) {
    if (entry.replica != null) {
      Set<String> tried = entry.tried.isEmpty() ? new HashSet<>(4) : entry.tried;
      tried.add(entry.replica);
      entry.tried = tried;
      entry.replica = null;
    }
    queue.addFirst(entry);
  }

  /**
   * Removes expired entries and dispatches, in FIFO order, every entry whose revision has a free
   * slot. Entries of a revision with no free slot stay in place; the scan stops once every revision
   * is known to be full.
   */
  public synchronized Drained<T> drain() {
    if (queue.isEmpty()) {
      return Drained.none();
    }
    long now = ticker.nanos();
    List<Entry<T>> dispatched = null;
    List<Entry<T>> expired = null;
    Set<String> full = null;
    int revisions = replicasByRevision.size();
    for (Iterator<Entry<T>> it = queue.iterator(); it.hasNext(); ) {
      Entry<T> e = it.next();
      if (e.deadlineNanos - now <= 0) {
        it.remove();
        (expired == null ? expired = new ArrayList<>() : expired).add(e);
        continue;
      }
      if (full != null && full.contains(e.revision)) {
        continue;
      }
      if (tryAssign(e)) {
        it.remove();
        (dispatched == null ? dispatched = new ArrayList<>() : dispatched).add(e);
      } else if (e.tried.isEmpty()) {
        // An entry that excludes nothing found no slot: its whole revision is full.
        (full == null ? full = new HashSet<>() : full).add(e.revision);
        if (full.size() >= revisions) {
          break;
        }
      }
    }
    return new Drained<>(
        dispatched == null ? List.of() : dispatched, expired == null ? List.of() : expired);
  }

  /** Removes the entries whose deadline has passed, without dispatching anything. */
  public synchronized List<Entry<T>> expire() {
    if (queue.isEmpty()) {
      return List.of();
    }
    long now = ticker.nanos();
    List<Entry<T>> expired = null;
    for (Iterator<Entry<T>> it = queue.iterator(); it.hasNext(); ) {
      Entry<T> e = it.next();
      if (e.deadlineNanos - now <= 0) {
        it.remove();
        (expired == null ? expired = new ArrayList<>() : expired).add(e);
      }
    }
    return expired == null ? List.of() : expired;
  }

  /** Removes and returns every queued entry (the API went away). */
  public synchronized List<Entry<T>> removeAll() {
    List<Entry<T>> all = new ArrayList<>(queue);
    queue.clear();
    return all;
  }

  /**
   * @return true when the entry was still queued and is now removed; false when it was already
   *     dispatched, expired or cancelled
   */
  public synchronized boolean cancel(Entry<T> entry) {
    return queue.remove(entry);
  }

  /** Frees the slot a dispatched entry held on {@code replica}. */
  public synchronized void release(String replica) {
    int[] n = inFlight.get(replica);
    if (n != null && n[0] > 0) {
      n[0]--;
      executing--;
    }
  }

  private boolean tryAssign(Entry<T> e) {
    List<String> replicas = replicasByRevision.get(e.revision);
    if (replicas == null || replicas.isEmpty()) {
      return false;
    }
    String r = selector.pick(replicas, this::inFlightOf, maxConcurrency, usable, e.tried);
    if (r == null) {
      return false;
    }
    inFlight.computeIfAbsent(r, k -> new int[1])[0]++;
    executing++;
    e.replica = r;
    return true;
  }

  private int inFlightOf(String replica) {
    int[] n = inFlight.get(replica);
    return n == null ? 0 : n[0];
  }

  public synchronized int inFlight(String replica) {
    return inFlightOf(replica);
  }

  public synchronized int queued() {
    return queue.size();
  }

  public synchronized int executing() {
    return executing;
  }

  /**
   * True when the entry's revision has a usable replica other than those it tried and the one it
   * holds now: a retry has somewhere to go.
   */
  public synchronized boolean hasUntriedReplica(Entry<T> e) {
    List<String> replicas = replicasByRevision.get(e.revision);
    if (replicas == null) {
      return false;
    }
    for (String r : replicas) {
      if (!r.equals(e.replica) && !e.tried.contains(r) && usable.test(r)) {
        return true;
      }
    }
    return false;
  }

  /** True when some revision has a replica that may take work (slots aside). */
  public synchronized boolean hasUsableReplica() {
    for (List<String> replicas : replicasByRevision.values()) {
      for (String r : replicas) {
        if (usable.test(r)) {
          return true;
        }
      }
    }
    return false;
  }
}
