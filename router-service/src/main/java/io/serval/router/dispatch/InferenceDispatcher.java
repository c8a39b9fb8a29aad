package io.serval.router.dispatch;

import io.serval.router.queue.FairApiQueue.Entry;
import io.serval.router.queue.Ticker;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RouteTable;
import io.serval.router.routing.RouteTableHolder;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * The one entry point of a request into the data path: resolves the name (API or splitter), mirrors
 * shadows, and hands each copy to its API's lane. The work is done by parts with one role each:
 * {@link Lanes} (per-API state, kept in step with the routes), {@link Admission} (queue, limits,
 * deadlines), {@link Forwarder} (attempts on replicas, retries, ejection) and {@link Completion}
 * (the one answer). Nothing here blocks: it runs on gRPC and Vert.x event loops.
 */
public final class InferenceDispatcher {
  private static final Logger LOG = Logger.getLogger(InferenceDispatcher.class);

  /** Lets the caller abandon a request (client cancelled or went away). */
  public interface Handle {
    void cancel();

    Handle NONE = () -> {};
  }

  private final RouteTableHolder routes;
  private final ReplicaTransport transport;
  private final ReplicaEjector ejector;
  private final Ticker ticker;
  private final ScheduledExecutorService timer;
  private final RandomGenerator random;
  private final Lanes lanes;
  private final Completion completion;
  private final Admission admission;
  private final Forwarder forwarder;

  public InferenceDispatcher(
      RouteTableHolder routes,
      ReplicaChannels channels,
      RetryPolicy retry,
      ReplicaEjector ejector,
      Ticker ticker,
      ScheduledExecutorService timer,
      DispatchObserver observer,
      RequestTracer tracer,
      RandomGenerator random) {
    this(
        routes,
        new GrpcReplicaTransport(channels),
        retry,
        ejector,
        ticker,
        timer,
        (nanos, task) -> timer.schedule(task, nanos, TimeUnit.NANOSECONDS),
        observer,
        tracer,
        random);
  }

  /**
   * @param delays runs retry backoffs; {@code timer} runs the deadline sweep
   */
  InferenceDispatcher(
      RouteTableHolder routes,
      ReplicaTransport transport,
      RetryPolicy retry,
      ReplicaEjector ejector,
      Ticker ticker,
      ScheduledExecutorService timer,
      Forwarder.Delays delays,
      DispatchObserver observer,
      RandomGenerator random) {
    this(
        routes,
        transport,
        retry,
        ejector,
        ticker,
        timer,
        delays,
        observer,
        RequestTracer.NONE,
        random);
  }

  InferenceDispatcher(
      RouteTableHolder routes,
      ReplicaTransport transport,
      RetryPolicy retry,
      ReplicaEjector ejector,
      Ticker ticker,
      ScheduledExecutorService timer,
      Forwarder.Delays delays,
      DispatchObserver observer,
      RequestTracer tracer,
      RandomGenerator random) {
    this.routes = routes;
    this.transport = transport;
    this.ejector = ejector;
    this.ticker = ticker;
    this.timer = timer;
    this.random = random;
    this.lanes = new Lanes(ticker, ejector::usable, random);
    this.completion = new Completion(ticker, observer);
    this.admission = new Admission(observer, completion, this::forward, tracer);
    this.forwarder =
        new Forwarder(transport, retry, ejector, ticker, delays, admission, completion);
    routes.onSwap(this::onRoutes);
    onRoutes(routes.current());
  }

  private void forward(Entry<PendingCall> e) {
    forwarder.start(e);
  }

  /** Starts the periodic sweep that ends queued requests past their deadline. */
  public void startDeadlineSweep(Duration interval) {
    long nanos = interval.toNanos();
    timer.scheduleAtFixedRate(this::expireAll, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  public Collection<ApiLane> lanes() {
    return lanes.all();
  }

  public ApiLane lane(String api) {
    return lanes.lane(api);
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
    return submit(RequestLog.newRequestId(), name, request, clientDeadlineNanos, listener);
  }

  /**
   * As {@link #submit(String, byte[], long, InferListener)}, for a request known by {@code
   * requestId} in the log lines (the client's, or one the edge made up).
   */
  public Handle submit(
      String requestId,
      String name,
      byte[] request,
      long clientDeadlineNanos,
      InferListener listener) {
    RouteTable.Target target = routes.current().resolve(name, random);
    if (target == null) {
      listener.onError(UnknownTarget.status(routes, name), null);
      return Handle.NONE;
    }
    // The primary goes first: its forward is on the wire before any mirror costs this thread work.
    Handle primary = enqueue(target.api(), requestId, name, request, clientDeadlineNanos, listener);
    for (ApiEntry mirror : target.mirrors()) {
      // A copy that nobody waits for: its answer and failures are dropped.
      enqueue(
          mirror,
          requestId,
          name,
          request,
          Long.MAX_VALUE,
          InferListener.ignoring(listener.protocol()));
    }
    return primary;
  }

  /**
   * Submits background work (an async request) to API {@code api}: through the API's queue and
   * replica slots like realtime traffic, but dispatched only when no realtime request waits (or
   * past the background bound: {@link #setBackgroundMaxWait}). Not mirrored: a shadow copy of work
   * no client waits on would only double its cost. The API's timeout applies to each submission.
   *
   * @param request a serialized ModelInferRequest whose model_name is {@code api}
   */
  public Handle submitBackground(
      String requestId, String api, byte[] request, InferListener listener) {
    ApiEntry entry = routes.current().api(api);
    if (entry == null) {
      listener.onError(UnknownTarget.status(routes, api), null);
      return Handle.NONE;
    }
    ApiLane lane = lanes.laneFor(entry);
    PendingCall p = new PendingCall(this, lane, requestId, api, request, listener, ticker.nanos());
    admission.admit(p, Long.MAX_VALUE, true);
    return p;
  }

  /** The longest background work waits behind realtime requests before it goes first. */
  public void setBackgroundMaxWait(Duration wait) {
    lanes.setBackgroundMaxWait(wait);
  }

  /**
   * The slots each API keeps from background work for its realtime traffic: its realtime peak over
   * {@code window} plus {@code headroom} ({@link io.serval.router.queue.RealtimeReserve}).
   */
  public void setRealtimeReserve(Duration window, int headroom) {
    lanes.setRealtimeReserve(window, headroom);
  }

  private Handle enqueue(
      ApiEntry api,
      String requestId,
      String requestedName,
      byte[] request,
      long clientDeadlineNanos,
      InferListener listener) {
    ApiLane lane = lanes.laneFor(api);
    PendingCall p =
        new PendingCall(this, lane, requestId, requestedName, request, listener, ticker.nanos());
    admission.admit(p, clientDeadlineNanos);
    return p;
  }

  void cancel(PendingCall p) {
    if (!completion.cancelled(p)) {
      return;
    }
    if (admission.withdraw(p)) {
      return;
    }
    forwarder.cancel(p);
  }

  /** Ends the queued requests past their deadline (the sweep; tests call it directly). */
  void expireAll() {
    try {
      admission.expire(lanes.all());
    } catch (RuntimeException ex) {
      LOG.error("deadline sweep failed", ex);
    }
  }

  /** Health checking readmitted a replica, or routes changed: offer queued work again. */
  public void drainAll() {
    lanes.all().forEach(admission::drain);
  }

  private void onRoutes(RouteTable table) {
    Lanes.Applied applied = lanes.apply(table);
    applied.removed().forEach(admission::removed);
    ejector.retain(applied.replicas());
    transport.retain(applied.replicas());
    drainAll();
  }

  /** True when {@code name} resolves to an API with a usable replica. */
  public boolean ready(String name) {
    RouteTable.Target t = routes.current().resolve(name, random);
    return t != null && lanes.ready(t.api());
  }

  /**
   * A usable replica of the API a name resolves to, for calls that bypass the queue (metadata).
   *
   * @return {@code [replica, servedBy]}, or null when none
   */
  public String[] anyReplica(ApiEntry api) {
    return lanes.anyReplica(api);
  }
}
