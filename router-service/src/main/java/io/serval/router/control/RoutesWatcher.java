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
 * Follows the operator's Routes.WatchRoutes stream: each snapshot with a higher version replaces
 * the route table. When the stream breaks the last table keeps serving and the watcher reconnects
 * with backoff, sending the version it holds.
 */
public final class RoutesWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RoutesWatcher.class);

  private final Channel operator;
  private final String routerId;
  private final RouteTableHolder holder;
  private final ScheduledExecutorService timer;
  private final Backoff backoff;
  private volatile Context.CancellableContext current;
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
    ctx.run(() -> RoutesGrpc.newStub(operator).watchRoutes(req, new Observer()));
  }

  private final class Observer implements StreamObserver<RouteSnapshot> {
    @Override
    public void onNext(RouteSnapshot snapshot) {
      backoff.reset();
      if (holder.loaded() && snapshot.getVersion() <= holder.current().version()) {
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
