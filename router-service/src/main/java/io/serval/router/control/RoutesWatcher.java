package io.serval.router.control;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.RoutesGrpc;
import io.serval.proto.control.WatchRoutesRequest;
import io.serval.router.routing.RouteTable;
import io.serval.router.routing.RouteTableHolder;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Follows the operator's Routes.WatchRoutes stream. The first snapshot of each stream replaces the
 * route table whatever its version: it is the full, current state of the operator this router now
 * talks to (a restarted operator, or another replica, numbers its snapshots on its own). After it,
 * only a higher version within the same stream replaces the table. When the stream breaks the last
 * table keeps serving and the watcher reconnects with backoff, sending the version it holds.
 */
public final class RoutesWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RoutesWatcher.class);

  private final Channel operator;
  private final String routerId;
  private final RouteTableHolder holder;
  private final ScheduledExecutorService timer;
  private final Backoff backoff;
  private volatile Context.CancellableContext current;
  private volatile Observer stream;
  private volatile boolean closed;

  public RoutesWatcher(
      Channel operator,
      String routerId,
      RouteTableHolder holder,
      ScheduledExecutorService timer,
      Backoff backoff) {
    this.operator = operator;
    this.routerId = routerId;
    this.holder = holder;
    this.timer = timer;
    this.backoff = backoff;
  }

  public void start() {
    connect();
  }

  private void connect() {
    if (closed) {
      return;
    }
    Context.CancellableContext ctx = Context.current().withCancellation();
    current = ctx;
    WatchRoutesRequest req =
        WatchRoutesRequest.newBuilder()
            .setRouterId(routerId)
            .setKnownVersion(holder.loaded() ? holder.current().version() : 0)
            .build();
    Observer observer = new Observer();
    stream = observer;
    ctx.run(() -> RoutesGrpc.newStub(operator).watchRoutes(req, observer));
  }

  private final class Observer implements StreamObserver<RouteSnapshot> {
    private final StreamVersions versions = new StreamVersions();

    @Override
    public void onNext(RouteSnapshot snapshot) {
      if (stream != this) {
        return; // a message from a stream this watcher already left
      }
      backoff.reset();
      if (!versions.accept(snapshot.getVersion())) {
        LOG.debugf(
            "ignoring routes version %d: this stream already sent %d",
            snapshot.getVersion(), versions.last());
        return;
      }
      try {
        holder.swap(RouteTable.from(snapshot));
        LOG.debugf("routes version %d from the operator", snapshot.getVersion());
      } catch (IllegalArgumentException e) {
        LOG.errorf(
            "operator sent invalid routes (version %d): %s; keeping version %d",
            snapshot.getVersion(), e.getMessage(), holder.current().version());
      }
    }

    @Override
    public void onError(Throwable t) {
      retryLater("lost the routes stream: " + t);
    }

    @Override
    public void onCompleted() {
      retryLater("the operator ended the routes stream");
    }
  }

  private void retryLater(String why) {
    if (closed) {
      return;
    }
    long delay = backoff.nextDelayMillis();
    LOG.warnf(
        "%s; serving routes version %d, reconnecting in %d ms",
        why, holder.current().version(), delay);
    timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    closed = true;
    Context.CancellableContext ctx = current;
    if (ctx != null) {
      ctx.cancel(null);
    }
  }
}
