package io.serval.router.queue;

import java.time.Duration;
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
 * <p>Background entries (async requests, issue 14) wait in a second FIFO of their own and go only
 * when no realtime entry is waiting, so a deep async backlog never delays realtime traffic. The one
 * exception keeps them from starving: a background entry that has waited longer than {@link
 * #setBackgroundMaxWait the background bound} goes at the next free slot, ahead of realtime ones.
 * Background entries are not counted against maxQueueLength: their sender admits only as many as
 * {@link #backgroundRoom()} allows, the free slots above what this queue's {@link RealtimeReserve}
 * keeps for realtime traffic (so that background work does not take the slots realtime requests are
 * about to need: it never preempts).
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
    private final boolean background;
    private long queuedAtNanos;
    private String revision;
    private String replica;
    private Set<String> tried = Set.of();

    public Entry(T item, String revision, long deadlineNanos) {
      this(item, revision, deadlineNanos, false);
    }

    /**
     * @param background true for work that goes only when no realtime entry waits (async requests)
     */
    public Entry(T item, String revision, long deadlineNanos, boolean background) {
      this.item = item;
      this.revision = revision;
      this.deadlineNanos = deadlineNanos;
      this.background = background;
    }

    public boolean background() {
      return background;
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

  /** How long a background entry waits behind realtime ones at most, unless set otherwise. */
  public static final Duration DEFAULT_BACKGROUND_MAX_WAIT = Duration.ofSeconds(2);

  private final Ticker ticker;
  private final ReplicaSelector selector;
  private final Predicate<String> usable;
  private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
  private final ArrayDeque<Entry<T>> background = new ArrayDeque<>();
  private long backgroundMaxWaitNanos = DEFAULT_BACKGROUND_MAX_WAIT.toNanos();
  private Duration reserveWindow = RealtimeReserve.DEFAULT_WINDOW;
  private int reserveHeadroom = RealtimeReserve.DEFAULT_HEADROOM;
  private final Map<String, int[]> inFlight = new HashMap<>();
  private Map<String, List<String>> replicasByRevision = Map.of();
  private int maxConcurrency;
  private int maxQueueLength;
  private int executing;
  private int backgroundExecuting;
  private final RealtimeReserve reserve =
      new RealtimeReserve(
          RealtimeReserve.DEFAULT_WINDOW,
          RealtimeReserve.DEFAULT_HEADROOM,
          DEFAULT_BACKGROUND_MAX_WAIT);

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
    for (ArrayDeque<Entry<T>> fifo : List.of(queue, background)) {
      for (Entry<T> e : fifo) {
        if (!this.replicasByRevision.containsKey(e.revision)) {
          e.revision = repin.get();
        }
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
    if (entry.background) {
      long now = ticker.nanos();
      reserve.backgroundAdmitted(now);
      if (queue.isEmpty() && background.isEmpty() && tryAssign(entry)) {
        return Admission.DISPATCHED;
      }
      entry.queuedAtNanos = now;
      background.addLast(entry);
      return Admission.QUEUED;
    }
    Admission admission;
    if (queue.isEmpty() && tryAssign(entry)) {
      admission = Admission.DISPATCHED;
    } else if (queue.size() >= maxQueueLength) {
      return Admission.REJECTED;
    } else {
      queue.addLast(entry);
      admission = Admission.QUEUED;
    }
    realtimeDemandChanged();
    return admission;
  }

  /** Realtime entries in flight or waiting: what {@link RealtimeReserve} keeps slots for. */
  private int realtimeDemand() {
    return executing - backgroundExecuting + queue.size();
  }

  private void realtimeDemandChanged() {
    reserve.demand(ticker.nanos(), realtimeDemand());
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
    if (entry.background) {
      background.addFirst(entry);
    } else {
      queue.addFirst(entry);
      realtimeDemandChanged();
    }
  }

  /**
   * The longest a background entry waits while realtime entries go first; past it, it goes at the
   * next free slot ahead of them (the bound that keeps background work from starving).
   */
  public synchronized void setBackgroundMaxWait(Duration wait) {
    if (wait.isNegative()) {
      throw new IllegalArgumentException("background max wait must not be negative: " + wait);
    }
    this.backgroundMaxWaitNanos = wait.toNanos();
    reserve.configure(reserveWindow, reserveHeadroom, wait);
  }

  /**
   * How many slots are kept for realtime traffic: its peak demand over {@code window} plus {@code
   * headroom} ({@link RealtimeReserve}).
   */
  public synchronized void setRealtimeReserve(Duration window, int headroom) {
    reserve.configure(window, headroom, Duration.ofNanos(backgroundMaxWaitNanos));
    this.reserveWindow = window;
    this.reserveHeadroom = headroom;
  }

  /**
   * Removes expired entries and dispatches, in FIFO order, every entry whose revision has a free
   * slot: first background entries that have waited past the background bound, then realtime
   * entries, then, only when no realtime entry is left waiting, the other background entries.
   * Entries of a revision with no free slot stay in place; a scan stops once every revision is
   * known to be full.
   */
  public synchronized Drained<T> drain() {
    if (queue.isEmpty() && background.isEmpty()) {
      return Drained.none();
    }
    Scan<T> scan = new Scan<>(ticker.nanos(), replicasByRevision.size());
    if (!background.isEmpty()) {
      scanFifo(background, scan, scan.now - backgroundMaxWaitNanos);
    }
    scanFifo(queue, scan, Long.MAX_VALUE);
    if (queue.isEmpty() && !background.isEmpty()) {
      scanFifo(background, scan, Long.MAX_VALUE);
    }
    if (scan.expired != null) {
      realtimeDemandChanged();
    }
    return new Drained<>(
        scan.dispatched == null ? List.of() : scan.dispatched,
        scan.expired == null ? List.of() : scan.expired);
  }

  /** What one drain has found so far. */
  private static final class Scan<T> {
    final long now;
    final int revisions;
    List<Entry<T>> dispatched;
    List<Entry<T>> expired;
    Set<String> full;

    Scan(long now, int revisions) {
      this.now = now;
      this.revisions = revisions;
    }

    boolean allFull() {
      return full != null && full.size() >= revisions;
    }
  }

  /**
   * One FIFO's part of a drain.
   *
   * @param queuedBefore only entries queued before this instant are dispatched (the aged background
   *     entries); Long.MAX_VALUE for all
   */
  private void scanFifo(ArrayDeque<Entry<T>> fifo, Scan<T> scan, long queuedBefore) {
    for (Iterator<Entry<T>> it = fifo.iterator(); it.hasNext() && !scan.allFull(); ) {
      Entry<T> e = it.next();
      if (e.deadlineNanos - scan.now <= 0) {
        it.remove();
        (scan.expired == null ? scan.expired = new ArrayList<>() : scan.expired).add(e);
        continue;
      }
      if (queuedBefore != Long.MAX_VALUE && e.queuedAtNanos - queuedBefore > 0) {
        return; // FIFO: every later entry was queued later still
      }
      if (scan.full != null && scan.full.contains(e.revision)) {
        continue;
      }
      if (tryAssign(e)) {
        it.remove();
        (scan.dispatched == null ? scan.dispatched = new ArrayList<>() : scan.dispatched).add(e);
      } else if (e.tried.isEmpty()) {
        // An entry that excludes nothing found no slot: its whole revision is full.
        (scan.full == null ? scan.full = new HashSet<>() : scan.full).add(e.revision);
      }
    }
  }

  /** Removes the entries whose deadline has passed, without dispatching anything. */
  public synchronized List<Entry<T>> expire() {
    if (queue.isEmpty() && background.isEmpty()) {
      return List.of();
    }
    long now = ticker.nanos();
    List<Entry<T>> expired = null;
    for (ArrayDeque<Entry<T>> fifo : List.of(queue, background)) {
      for (Iterator<Entry<T>> it = fifo.iterator(); it.hasNext(); ) {
        Entry<T> e = it.next();
        if (e.deadlineNanos - now <= 0) {
          it.remove();
          (expired == null ? expired = new ArrayList<>() : expired).add(e);
        }
      }
    }
    if (expired != null) {
      realtimeDemandChanged();
    }
    return expired == null ? List.of() : expired;
  }

  /** Removes and returns every queued entry (the API went away). */
  public synchronized List<Entry<T>> removeAll() {
    List<Entry<T>> all = new ArrayList<>(queue);
    all.addAll(background);
    queue.clear();
    background.clear();
    realtimeDemandChanged();
    return all;
  }

  /**
   * @return true when the entry was still queued and is now removed; false when it was already
   *     dispatched, expired or cancelled
   */
  public synchronized boolean cancel(Entry<T> entry) {
    if (entry.background) {
      return background.remove(entry);
    }
    boolean removed = queue.remove(entry);
    if (removed) {
      realtimeDemandChanged();
    }
    return removed;
  }

  /**
   * Frees the slot a dispatched entry held on {@code replica}.
   *
   * @param background the entry's {@link Entry#background()}
   */
  public synchronized void release(String replica, boolean background) {
    int[] n = inFlight.get(replica);
    if (n != null && n[0] > 0) {
      n[0]--;
      executing--;
      if (background) {
        backgroundExecuting--;
      } else {
        realtimeDemandChanged();
      }
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
    if (e.background) {
      backgroundExecuting++;
    }
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

  /** Entries waiting, realtime and background. */
  public synchronized int queued() {
    return queue.size() + background.size();
  }

  /** Background entries waiting. */
  public synchronized int backgroundQueued() {
    return background.size();
  }

  /**
   * Free slots on the usable replicas less the entries already waiting for one: how many more
   * requests would be dispatched at once (never negative).
   */
  public synchronized int freeSlots() {
    long free = 0;
    for (List<String> replicas : replicasByRevision.values()) {
      for (String r : replicas) {
        if (usable.test(r)) {
          free += Math.max(0, maxConcurrency - inFlightOf(r));
        }
      }
    }
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, free - queue.size() - background.size()));
  }

  /**
   * How many more background entries may be offered now: the free slots above the realtime reserve,
   * less the background work already in flight or waiting; at least one now and then under realtime
   * traffic that reserves every slot (the rule: {@link RealtimeReserve}). What the async pump and
   * the batch runner claim by.
   */
  public synchronized int backgroundRoom() {
    long usableSlots = 0;
    for (List<String> replicas : replicasByRevision.values()) {
      for (String r : replicas) {
        if (usable.test(r)) {
          usableSlots += maxConcurrency;
        }
      }
    }
    return reserve.backgroundRoom(
        ticker.nanos(),
        (int) Math.min(Integer.MAX_VALUE, usableSlots),
        freeSlots(),
        backgroundExecuting + background.size());
  }

  /** Slots kept for realtime traffic now ({@link RealtimeReserve#reserved}). */
  public synchronized int realtimeReserved() {
    return reserve.reserved(ticker.nanos());
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
