package io.serval.router.dispatch;

import io.serval.router.queue.FairApiQueue;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RevisionEntry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * The router's state for one API that outlives route snapshots: its queue and slot counts, and the
 * counters the stats stream samples.
 */
public final class ApiLane {
  private final String name;
  private final FairApiQueue<PendingCall> queue;
  private final RandomGenerator random;
  private volatile ApiEntry api;
  final LongAdder requests = new LongAdder();
  final LongAdder errors = new LongAdder();
  final RevisionOutcomes outcomes = new RevisionOutcomes();

  /** Work-in-progress counter: one thread drains at a time, others leave it a note to go again. */
  final AtomicInteger drainWip = new AtomicInteger();

  ApiLane(ApiEntry api, FairApiQueue<PendingCall> queue, RandomGenerator random) {
    this.name = api.name();
    this.queue = queue;
    this.random = random;
    update(api);
  }

  void update(ApiEntry api) {
    this.api = api;
    queue.update(
        api.maxConcurrency(),
        api.maxQueueLength(),
        api.replicasByRevision(),
        () -> revisionName(api.pickRevision(random)));
  }

  /** A revision for a new request, by the traffic shares; "" when the API has none. */
  String pickRevision() {
    return revisionName(api.pickRevision(random));
  }

  static String revisionName(RevisionEntry r) {
    return r == null ? "" : r.name();
  }

  public String name() {
    return name;
  }

  public ApiEntry api() {
    return api;
  }

  public FairApiQueue<PendingCall> queue() {
    return queue;
  }

  public int queued() {
    return queue.queued();
  }

  public int executing() {
    return queue.executing();
  }

  /**
   * How many more background requests (async, batch) may be sent now: the free slots above those
   * kept for realtime traffic ({@link FairApiQueue#backgroundRoom()}).
   */
  public int backgroundRoom() {
    return queue.backgroundRoom();
  }

  /** True when some replica of the API may take work now (slots aside). */
  public boolean hasUsableReplica() {
    return queue.hasUsableReplica();
  }

  /** Requests received since the last call. */
  public long takeRequests() {
    return requests.sumThenReset();
  }

  /** Requests that ended in an error since the last call. */
  public long takeErrors() {
    return errors.sumThenReset();
  }

  /** What each revision's replicas answered since the last call. */
  public List<RevisionOutcomes.Sample> takeRevisionOutcomes() {
    return outcomes.take();
  }

  String servedBy(String revision) {
    RevisionEntry r = api.revision(revision);
    return r != null ? r.servedBy() : name + "/" + revision;
  }
}
