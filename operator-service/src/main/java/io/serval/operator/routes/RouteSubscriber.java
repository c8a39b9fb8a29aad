package io.serval.operator.routes;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.serval.proto.control.RouteSnapshot;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One router's watch stream. Snapshots are complete, so a slow router only needs the latest: at
 * most one waits here (older ones are dropped), and it is sent when the stream is ready. Memory per
 * router stays bounded whatever the rate of change.
 */
final class RouteSubscriber {

  private final String routerId;
  private final StreamObserver<RouteSnapshot> observer;
  private final ServerCallStreamObserver<RouteSnapshot> flowControlled;
  private final AtomicReference<RouteSnapshot> pending = new AtomicReference<>();
  private volatile boolean closed;

  RouteSubscriber(String routerId, StreamObserver<RouteSnapshot> observer) {
    this.routerId = routerId;
    this.observer = observer;
    this.flowControlled = observer instanceof ServerCallStreamObserver<RouteSnapshot> s ? s : null;
    if (flowControlled != null) {
      flowControlled.setOnReadyHandler(this::drain);
    }
  }

  String routerId() {
    return routerId;
  }

  void onClose(Runnable action) {
    if (flowControlled != null) {
      flowControlled.setOnCancelHandler(
          () -> {
            closed = true;
            action.run();
          });
    }
  }

  void offer(RouteSnapshot snapshot) {
    pending.set(snapshot);
    drain();
  }

  void complete() {
    closed = true;
    synchronized (this) {
      try {
        observer.onCompleted();
      } catch (RuntimeException ignored) {
        // already cancelled by the router
      }
    }
  }

  private synchronized void drain() {
    while (!closed && (flowControlled == null || flowControlled.isReady())) {
      RouteSnapshot next = pending.getAndSet(null);
      if (next == null) {
        return;
      }
      try {
        observer.onNext(next);
      } catch (RuntimeException e) {
        closed = true; // the call was cancelled under us
      }
    }
  }
}
