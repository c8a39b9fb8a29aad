package io.serval.router.dispatch;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.serval.router.queue.FairApiQueue;
import io.serval.router.queue.FairApiQueue.Drained;
import io.serval.router.queue.FairApiQueue.Entry;
import io.serval.router.queue.ReplicaSelector;
import io.serval.router.queue.Ticker;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RevisionEntry;
import io.serval.router.routing.RouteTable;
import io.serval.router.routing.RouteTableHolder;
import io.serval.router.wire.InferenceMethods;
import io.serval.router.wire.ModelNameField;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Takes a request from resolution to answer: resolves the name (API or splitter), mirrors shadows,
 * picks the revision, queues the request in its API's {@link FairApiQueue}, forwards it to the
 * chosen replica as the bytes it came in (model_name rewritten when the predictors serve another
 * name), retries a refused attempt on another replica, and reports the end to the listener. Nothing
 * here blocks: it runs on gRPC and Vert.x event loops.
 */
public final class InferenceDispatcher {
  private static final Logger LOG = Logger.getLogger(InferenceDispatcher.class);

  /** Lets the caller abandon a request (client cancelled or went away). */
  public interface Handle {
    void cancel();

    Handle NONE = () -> {};
  }

  private final RouteTableHolder routes;
  private final ReplicaChannels channels;
  private final RetryPolicy retry;
  private final ReplicaEjector ejector;
  private final Ticker ticker;
  private final ScheduledExecutorService timer;
  private final DispatchObserver observer;
  private final RandomGenerator random;
  private final ReplicaSelector selector;
  private final ConcurrentHashMap<String, ApiLane> lanes = new ConcurrentHashMap<>();

  public InferenceDispatcher(
      RouteTableHolder routes,
      ReplicaChannels channels,
      RetryPolicy retry,
      ReplicaEjector ejector,
      Ticker ticker,
      ScheduledExecutorService timer,
      DispatchObserver observer,
      RandomGenerator random) {
    this.routes = routes;
    this.channels = channels;
    this.retry = retry;
    this.ejector = ejector;
    this.ticker = ticker;
    this.timer = timer;
    this.observer = observer;
    this.random = random;
    this.selector = new ReplicaSelector(random);
    routes.onSwap(this::onRoutes);
    onRoutes(routes.current());
  }

  /** Starts the periodic sweep that ends queued requests past their deadline. */
  public void startDeadlineSweep(Duration interval) {
    long nanos = interval.toNanos();
    timer.scheduleAtFixedRate(this::expireAll, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  public Collection<ApiLane> lanes() {
    return lanes.values();
  }

  public ApiLane lane(String api) {
    return lanes.get(api);
  }

  public RandomGenerator random() {
    return random;
  }

  /**
   * @param request a serialized ModelInferRequest whose model_name is {@code name}
   * @param clientDeadlineNanos the client's deadline on {@link Ticker} time, or Long.MAX_VALUE; the
   *     API's timeout applies when it is sooner
   */
  public Handle submit(
      String name, byte[] request, long clientDeadlineNanos, InferListener listener) {
    RouteTable.Target target = routes.current().resolve(name, random);
    if (target == null) {
      listener.onError(
          Status.NOT_FOUND.withDescription("no API or traffic splitter named '" + name + "'"),
          null);
      return Handle.NONE;
    }
    // The primary goes first: its forward is on the wire before any mirror costs this thread work.
    Handle primary = enqueue(target.api(), name, request, clientDeadlineNanos, listener);
    for (ApiEntry mirror : target.mirrors()) {
      // A copy that nobody waits for: its answer and failures are dropped.
      enqueue(mirror, name, request, Long.MAX_VALUE, InferListener.IGNORE);
    }
    return primary;
  }

  private Handle enqueue(
      ApiEntry api,
      String requestedName,
      byte[] request,
      long clientDeadlineNanos,
      InferListener listener) {
    ApiLane lane = lanes.computeIfAbsent(api.name(), n -> newLane(api));
    long now = ticker.nanos();
    long apiDeadline = now + lane.api().timeout().toNanos();
    long deadline = clientDeadlineNanos - apiDeadline < 0 ? clientDeadlineNanos : apiDeadline;
    PendingCall p = new PendingCall(this, lane, requestedName, request, listener, now);
    String revision = ApiLane.revisionName(lane.api().pickRevision(random));
    Entry<PendingCall> e = new Entry<>(p, revision, deadline);
    p.entry = e;
    lane.requests.increment();
    switch (lane.queue().offer(e)) {
      case DISPATCHED -> start(e);
      case QUEUED -> {
        if (!lane.queue().hasUsableReplica()) {
          observer.noReadyReplica(lane.name());
        }
        drain(lane);
      }
      case REJECTED ->
          finish(
              p,
              Status.RESOURCE_EXHAUSTED.withDescription(
                  "the queue of API '"
                      + lane.name()
                      + "' is full ("
                      + lane.api().maxQueueLength()
                      + " requests waiting); retry later"),
              revision);
    }
    return p;
  }

  private ApiLane newLane(ApiEntry api) {
    FairApiQueue<PendingCall> queue =
        new FairApiQueue<>(
            ticker, selector, ejector::usable, api.maxConcurrency(), api.maxQueueLength());
    return new ApiLane(api, queue, random);
  }

  private void start(Entry<PendingCall> e) {
    PendingCall p = e.item();
    ApiLane lane = p.lane;
    String replica = e.replica();
    if (p.finished.get()) {
      lane.queue().release(replica);
      drain(lane);
      return;
    }
    long remaining = e.deadlineNanos() - ticker.nanos();
    if (remaining <= 0) {
      lane.queue().release(replica);
      finish(p, deadlineExceeded(lane), e.revision());
      drain(lane);
      return;
    }
    p.attempts++;
    if (p.forward == null) {
      String modelName = lane.api().modelName();
      p.forward =
          modelName.equals(p.requestedName)
              ? p.request
              : ModelNameField.replace(p.request, modelName);
    }
    // Detached from whatever server call's Context this thread runs in (a ClientCall captures it
    // when created): a drain triggered by one request must not tie another request's forward to
    // the first one's lifetime. Cancellation and deadline are handled explicitly.
    ClientCall<byte[], byte[]> call;
    ReplicaReply reply = new ReplicaReply();
    Context previous = Context.ROOT.attach();
    try {
      call =
          channels
              .get(replica)
              .newCall(
                  InferenceMethods.MODEL_INFER_BYTES,
                  CallOptions.DEFAULT
                      .withDeadlineAfter(remaining, TimeUnit.NANOSECONDS)
                      .withStreamTracerFactory(reply));
      p.call = call;
      call.start(new Forward(e, replica, reply), new Metadata());
      call.request(1);
      call.sendMessage(p.forward);
      call.halfClose();
    } finally {
      Context.ROOT.detach(previous);
    }
    if (p.finished.get()) {
      call.cancel("the client cancelled the request", null);
    }
  }

  /** Listens to one forwarded attempt. */
  private final class Forward extends ClientCall.Listener<byte[]> {
    private final Entry<PendingCall> entry;
    private final String replica;
    private final ReplicaReply reply;
    private byte[] response;

    Forward(Entry<PendingCall> entry, String replica, ReplicaReply reply) {
      this.entry = entry;
      this.replica = replica;
      this.reply = reply;
    }

    @Override
    public void onMessage(byte[] message) {
      response = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      PendingCall p = entry.item();
      ApiLane lane = p.lane;
      lane.queue().release(replica);
      if (status.getCode() != Status.Code.CANCELLED || !p.finished.get()) {
        // A call the client cancelled says nothing about the revision.
        lane.outcomes.record(entry.revision(), status.isOk() && response != null);
      }
      if (status.isOk() && response != null) {
        ejector.recordSuccess(replica);
        finishOk(p, entry.revision(), response);
      } else if (status.isOk()) {
        finish(p, Status.INTERNAL.withDescription("replica answered without a message"), rev());
      } else {
        onFailure(p, lane, status);
      }
      drain(lane);
    }

    private String rev() {
      return entry.revision();
    }

    private void onFailure(PendingCall p, ApiLane lane, Status status) {
      RetryPolicy.Delivery delivery =
          RetryPolicy.classify(status, reply.heard(), reply.headersSent());
      boolean connRefused = RetryPolicy.connectionRefused(status);
      if (connRefused && ejector.recordFailure(replica)) {
        LOG.warnf(
            "replica %s of API '%s' keeps refusing connections: ejected", replica, lane.name());
      } else if (!connRefused && delivery != RetryPolicy.Delivery.FINAL && ejector.eject(replica)) {
        // A connection that fails under a call means a dead or draining replica: the next
        // dispatches must not wait for a run of refusals to find that out.
        LOG.warnf(
            "replica %s of API '%s' lost its connection (%s, %s): ejected",
            replica, lane.name(), status.getDescription(), status.getCause());
      }
      long delay =
          p.finished.get()
              ? -1
              : retry.nextDelayNanos(delivery, p.attempts, ticker.nanos(), entry.deadlineNanos());
      if (delay >= 0 && lane.queue().hasUntriedReplica(entry)) {
        timer.schedule(
            () -> {
              if (!p.finished.get()) {
                lane.queue().requeueFirst(entry);
                drain(lane);
              }
            },
            delay,
            TimeUnit.NANOSECONDS);
        return;
      }
      Status answer = status;
      if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
        answer = deadlineExceeded(lane).withCause(status.getCause());
      } else if (delivery == RetryPolicy.Delivery.LOST_IN_FLIGHT) {
        // INTERNAL (HTTP 500), not UNAVAILABLE: clients and gRPC retry policies replay
        // UNAVAILABLE, and a request that crashed one replica would crash the next one too.
        LOG.warnf(
            "replica %s of API '%s' went away while it ran a request (%s); the request fails"
                + " without a retry",
            replica, lane.name(), status.getDescription());
        answer =
            Status.INTERNAL
                .withDescription(replicaDied(lane.name(), replica))
                .withCause(status.getCause());
      } else if (delivery == RetryPolicy.Delivery.NEVER_DELIVERED) {
        answer =
            Status.UNAVAILABLE
                .withDescription(
                    "no replica of API '"
                        + lane.name()
                        + "' accepted the request ("
                        + p.attempts
                        + " tried; last: "
                        + replica
                        + (connRefused
                            ? " refused the connection)"
                            : " did not receive it: " + status.getDescription() + ")"))
                .withCause(status.getCause());
      }
      finish(p, answer, rev());
    }
  }

  /**
   * The answer to a request whose replica's connection died after the request was sent and before
   * any answer: the replica may have run it, and died of it.
   */
  static String replicaDied(String api, String replica) {
    return "the replica serving this request ("
        + replica
        + " of API '"
        + api
        + "') died or dropped its connection while running it; the request was not retried on"
        + " another replica, since a request that crashes a replica would crash the next one too";
  }

  private static Status deadlineExceeded(ApiLane lane) {
    return Status.DEADLINE_EXCEEDED.withDescription(
        "the request to API '"
            + lane.name()
            + "' did not complete within its deadline (API timeout "
            + lane.api().timeout()
            + ", or the client's sooner deadline)");
  }

  void cancel(PendingCall p) {
    if (!p.finished.compareAndSet(false, true)) {
      return;
    }
    observer.completed(
        p.lane.name(), p.entry.revision(), Status.Code.CANCELLED, ticker.nanos() - p.startNanos);
    if (p.lane.queue().cancel(p.entry)) {
      return;
    }
    ClientCall<byte[], byte[]> call = p.call;
    if (call != null) {
      call.cancel("the client cancelled the request", null);
    }
  }

  private void finishOk(PendingCall p, String revision, byte[] response) {
    if (!p.finished.compareAndSet(false, true)) {
      return;
    }
    observer.completed(p.lane.name(), revision, Status.Code.OK, ticker.nanos() - p.startNanos);
    byte[] answer = response;
    if (!p.lane.api().modelName().equals(p.requestedName)) {
      try {
        answer = ModelNameField.replace(response, p.requestedName);
      } catch (IllegalArgumentException malformed) {
        p.listener.onError(
            Status.INTERNAL.withDescription(
                "replica sent a malformed response: " + malformed.getMessage()),
            p.lane.servedBy(revision));
        return;
      }
    }
    p.listener.onResponse(answer, p.lane.servedBy(revision));
  }

  private void finish(PendingCall p, Status status, String revision) {
    if (!p.finished.compareAndSet(false, true)) {
      return;
    }
    p.lane.errors.increment();
    observer.completed(
        p.lane.name(),
        revision == null ? "" : revision,
        status.getCode(),
        ticker.nanos() - p.startNanos);
    p.listener.onError(
        status, revision == null || revision.isEmpty() ? null : p.lane.servedBy(revision));
  }

  /** Dispatches what the lane's free slots allow; re-entrant calls leave the work to the loop. */
  void drain(ApiLane lane) {
    if (lane.drainWip.getAndIncrement() != 0) {
      return;
    }
    do {
      Drained<PendingCall> d = lane.queue().drain();
      for (Entry<PendingCall> e : d.expired()) {
        finish(e.item(), deadlineExceeded(lane), e.revision());
      }
      for (Entry<PendingCall> e : d.dispatched()) {
        start(e);
      }
    } while (lane.drainWip.decrementAndGet() != 0);
  }

  private void expireAll() {
    try {
      for (ApiLane lane : lanes.values()) {
        for (Entry<PendingCall> e : lane.queue().expire()) {
          finish(e.item(), deadlineExceeded(lane), e.revision());
        }
      }
    } catch (RuntimeException ex) {
      LOG.error("deadline sweep failed", ex);
    }
  }

  /** Health checking readmitted a replica, or routes changed: offer queued work again. */
  public void drainAll() {
    lanes.values().forEach(this::drain);
  }

  private void onRoutes(RouteTable table) {
    Set<String> addresses = new HashSet<>();
    for (ApiEntry api : table.apis()) {
      for (RevisionEntry r : api.revisions()) {
        addresses.addAll(r.endpoints());
      }
      ApiLane existing = lanes.get(api.name());
      if (existing != null) {
        existing.update(api);
      } else {
        lanes.computeIfAbsent(api.name(), n -> newLane(api)).update(api);
      }
    }
    for (ApiLane lane : List.copyOf(lanes.values())) {
      if (table.api(lane.name()) == null && lanes.remove(lane.name(), lane)) {
        for (Entry<PendingCall> e : lane.queue().removeAll()) {
          finish(
              e.item(),
              Status.NOT_FOUND.withDescription(
                  "API '" + lane.name() + "' was removed while the request waited"),
              e.revision());
        }
      }
    }
    ejector.retain(addresses);
    channels.retain(addresses);
    drainAll();
  }

  /** True when {@code name} resolves to an API with a usable replica. */
  public boolean ready(String name) {
    RouteTable.Target t = routes.current().resolve(name, random);
    if (t == null) {
      return false;
    }
    ApiLane lane = lanes.get(t.api().name());
    return lane != null && lane.queue().hasUsableReplica();
  }

  /**
   * A usable replica of the API a name resolves to, for calls that bypass the queue (metadata).
   *
   * @return {@code [replica, servedBy]}, or null when none
   */
  public String[] anyReplica(ApiEntry api) {
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
          if (ejector.usable(ep)) {
            return new String[] {ep, candidate.servedBy()};
          }
        }
      }
    }
    return null;
  }
}
