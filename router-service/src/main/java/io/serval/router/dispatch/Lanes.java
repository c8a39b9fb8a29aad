package io.serval.router.dispatch;

import io.serval.router.queue.FairApiQueue;
import io.serval.router.queue.RealtimeReserve;
import io.serval.router.queue.ReplicaSelector;
import io.serval.router.queue.Ticker;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RevisionEntry;
import io.serval.router.routing.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The router's {@link ApiLane}s, one per API, created on first use and kept in step with the
 * routes; and the picks that look at replicas without taking a slot (readiness, metadata).
 */
final class Lanes {

  /** What applying new routes changed: lanes whose API left, and every replica now routed to. */
  record Applied(List<ApiLane> removed, Set<String> replicas) {}

  private final Ticker ticker;
  private final ReplicaSelector selector;
  private final Predicate<String> usable;
  private final RandomGenerator random;
  private final ConcurrentHashMap<String, ApiLane> lanes = new ConcurrentHashMap<>();
  private volatile Duration backgroundMaxWait = FairApiQueue.DEFAULT_BACKGROUND_MAX_WAIT;
  private volatile Duration realtimeWindow = RealtimeReserve.DEFAULT_WINDOW;
  private volatile int realtimeHeadroom = RealtimeReserve.DEFAULT_HEADROOM;

  /**
   * @param usable false for a replica that must not get work now (ejected)
   */
  Lanes(Ticker ticker, Predicate<String> usable, RandomGenerator random) {
    this.ticker = ticker;
    this.selector = new ReplicaSelector(random);
    this.usable = usable;
    this.random = random;
  }

  /** The lane of {@code api}, created when it has none yet. */
  ApiLane laneFor(ApiEntry api) {
    return lanes.computeIfAbsent(api.name(), n -> newLane(api));
  }

  ApiLane lane(String api) {
    return lanes.get(api);
  }

  Collection<ApiLane> all() {
    return lanes.values();
  }

  private ApiLane newLane(ApiEntry api) {
    FairApiQueue<PendingCall> queue =
        new FairApiQueue<>(ticker, selector, usable, api.maxConcurrency(), api.maxQueueLength());
    queue.setBackgroundMaxWait(backgroundMaxWait);
    queue.setRealtimeReserve(realtimeWindow, realtimeHeadroom);
    return new ApiLane(api, queue, random);
  }

  /**
   * Gives each API of the table its lane, updated to the table's limits and replicas, and drops the
   * lanes of APIs the table no longer has; their queued requests are the caller's to end.
   */
  Applied apply(RouteTable table) {
    Set<String> replicas = new HashSet<>();
    for (ApiEntry api : table.apis()) {
      for (RevisionEntry r : api.revisions()) {
        replicas.addAll(r.endpoints());
      }
      ApiLane existing = lanes.get(api.name());
      if (existing != null) {
        existing.update(api);
      } else {
        lanes.computeIfAbsent(api.name(), n -> newLane(api)).update(api);
      }
    }
    List<ApiLane> removed = new ArrayList<>();
    for (ApiLane lane : List.copyOf(lanes.values())) {
      if (table.api(lane.name()) == null && lanes.remove(lane.name(), lane)) {
        removed.add(lane);
      }
    }
    return new Applied(removed, replicas);
  }

  /** The background bound of every lane, now and to come ({@link FairApiQueue}). */
  void setBackgroundMaxWait(Duration wait) {
    backgroundMaxWait = wait;
    lanes.values().forEach(l -> l.queue().setBackgroundMaxWait(wait));
  }

  /** The realtime reserve of every lane, now and to come ({@link RealtimeReserve}). */
  void setRealtimeReserve(Duration window, int headroom) {
    realtimeWindow = window;
    realtimeHeadroom = headroom;
    lanes.values().forEach(l -> l.queue().setRealtimeReserve(window, headroom));
  }

  /** True when the API has a lane with a usable replica. */
  boolean ready(ApiEntry api) {
    ApiLane lane = lanes.get(api.name());
    return lane != null && lane.queue().hasUsableReplica();
  }

  /**
   * A usable replica of the API, for calls that bypass the queue (metadata): one of the revision
   * traffic picks, else of any revision.
   *
   * @return {@code [replica, servedBy]}, or null when none
   */
  String[] anyReplica(ApiEntry api) {
    RevisionEntry r = api.pickRevision(random);
    if (r == null) {
      return null;
    }
    for (int pass = 0; pass < 2; pass++) {
      for (RevisionEntry candidate : pass == 0 ? List.of(r) : api.revisions()) {
        List<String> eps = candidate.endpoints();
        int n = eps.size();
        int offset = n == 0 ? 0 : random.nextInt(n);
        for (int i = 0; i < n; i++) {
          String ep = eps.get((offset + i) % n);
          if (usable.test(ep)) {
            return new String[] {ep, candidate.servedBy()};
          }
        }
      }
    }
    return null;
  }
}
