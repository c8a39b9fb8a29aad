package io.serval.router.dispatch;

import io.grpc.Status;
import io.serval.router.queue.FairApiQueue.Drained;
import io.serval.router.queue.FairApiQueue.Entry;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Admission into an API's {@link io.serval.router.queue.FairApiQueue}: the request's deadline (the
 * API's timeout, or the client's sooner one), the queue-full refusal (RESOURCE_EXHAUSTED), queued
 * requests handed to a free slot as slots free up, expired ones ended with DEADLINE_EXCEEDED. Slots
 * themselves are counted by the queue; whoever ends an attempt releases its slot here.
 */
final class Admission {
  private final DispatchObserver observer;
  private final Completion completion;
  private final Consumer<Entry<PendingCall>> dispatch;
  private final RequestTracer tracer;

  /**
   * @param dispatch takes an entry that now holds a slot on its replica (forwards it)
   */
  Admission(
      DispatchObserver observer,
      Completion completion,
      Consumer<Entry<PendingCall>> dispatch,
      RequestTracer tracer) {
    this.observer = observer;
    this.completion = completion;
    this.dispatch = dispatch;
    this.tracer = tracer;
  }

  /**
   * Offers a new request to its lane: dispatched at once when a slot is free, else queued, or
   * refused when the queue is full.
   *
   * @param clientDeadlineNanos the client's deadline on the ticker's time, or Long.MAX_VALUE
   */
  void admit(PendingCall p, long clientDeadlineNanos) {
    admit(p, clientDeadlineNanos, false);
  }

  /**
   * @param background true for async work: it waits behind realtime requests and is never refused
   *     for a full queue (its sender offers only what free slots allow)
   */
  void admit(PendingCall p, long clientDeadlineNanos, boolean background) {
    ApiLane lane = p.lane;
    long apiDeadline = p.startNanos + lane.api().timeout().toNanos();
    long deadline = clientDeadlineNanos - apiDeadline < 0 ? clientDeadlineNanos : apiDeadline;
    String revision = lane.pickRevision();
    Entry<PendingCall> e = new Entry<>(p, revision, deadline, background);
    p.entry = e;
    // On the submitting thread: the trace continues the caller's (the edge's server span).
    p.trace = tracer.admitted(lane.name(), revision == null ? "" : revision);
    lane.requests.increment();
    switch (lane.queue().offer(e)) {
      case DISPATCHED -> dispatch.accept(e);
      case QUEUED -> {
        p.trace.queued();
        if (!lane.queue().hasUsableReplica()) {
          observer.noReadyReplica(lane.name());
        }
        drain(lane);
      }
      case REJECTED -> completion.fail(p, queueFull(lane), revision);
    }
  }

  /** Dispatches what the lane's free slots allow; re-entrant calls leave the work to the loop. */
  void drain(ApiLane lane) {
    if (lane.drainWip.getAndIncrement() != 0) {
      return;
    }
    do {
      Drained<PendingCall> d = lane.queue().drain();
      for (Entry<PendingCall> e : d.expired()) {
        completion.fail(e.item(), deadlineExceeded(lane), e.revision());
      }
      for (Entry<PendingCall> e : d.dispatched()) {
        dispatch.accept(e);
      }
    } while (lane.drainWip.decrementAndGet() != 0);
  }

  /**
   * Frees the slot an attempt of {@code e} held on {@code replica} (the caller drains afterwards).
   */
  void release(Entry<PendingCall> e, String replica) {
    e.item().lane.queue().release(replica, e.background());
  }

  /** Puts a refused attempt's entry back at the head of its queue, for another replica. */
  void requeue(Entry<PendingCall> e) {
    ApiLane lane = e.item().lane;
    lane.queue().requeueFirst(e);
    drain(lane);
  }

  /** True when a retry of the entry has a usable replica it has not tried yet. */
  boolean hasUntriedReplica(Entry<PendingCall> e) {
    return e.item().lane.queue().hasUntriedReplica(e);
  }

  /**
   * @return true when the request was still queued and is now out of the queue; false when it holds
   *     a slot (or held one)
   */
  boolean withdraw(PendingCall p) {
    return p.lane.queue().cancel(p.entry);
  }

  /** Ends the queued requests whose deadline has passed (the periodic sweep). */
  void expire(Collection<ApiLane> lanes) {
    for (ApiLane lane : lanes) {
      for (Entry<PendingCall> e : lane.queue().expire()) {
        completion.fail(e.item(), deadlineExceeded(lane), e.revision());
      }
    }
  }

  /** Ends the requests still queued in a lane whose API left the routes. */
  void removed(ApiLane lane) {
    for (Entry<PendingCall> e : lane.queue().removeAll()) {
      completion.fail(
          e.item(),
          Status.NOT_FOUND.withDescription(
              "API '" + lane.name() + "' was removed while the request waited"),
          e.revision());
    }
  }

  static Status queueFull(ApiLane lane) {
    return Status.RESOURCE_EXHAUSTED.withDescription(
        "the queue of API '"
            + lane.name()
            + "' is full ("
            + lane.api().maxQueueLength()
            + " requests waiting); retry later");
  }

  static Status deadlineExceeded(ApiLane lane) {
    return deadlineExceeded(lane.name(), lane.api().timeout());
  }

  static Status deadlineExceeded(String api, Duration timeout) {
    return Status.DEADLINE_EXCEEDED.withDescription(
        "the request to API '"
            + api
            + "' did not complete within its deadline (API timeout "
            + timeout
            + ", or the client's sooner deadline)");
  }
}
