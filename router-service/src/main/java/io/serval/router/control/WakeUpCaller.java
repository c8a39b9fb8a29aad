package io.serval.router.control;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.serval.proto.control.ScalingGrpc;
import io.serval.proto.control.WakeUpRequest;
import io.serval.proto.control.WakeUpResponse;
import io.serval.router.queue.Ticker;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Asks the operator (Scaling.WakeUp) for replicas when requests queue for an API with none ready;
 * the requests wait in the queue up to their deadline. At most one call per API per interval, best
 * effort: a failed call is only logged.
 */
public final class WakeUpCaller {
  private static final Logger LOG = Logger.getLogger(WakeUpCaller.class);

  private final Supplier<Channel> operator;
  private final String routerId;
  private final Ticker ticker;
  private final long minIntervalNanos;
  private final ConcurrentHashMap<String, Long> lastCall = new ConcurrentHashMap<>();

  public WakeUpCaller(
      Supplier<Channel> operator, String routerId, Ticker ticker, Duration minInterval) {
    this.operator = operator;
    this.routerId = routerId;
    this.ticker = ticker;
    this.minIntervalNanos = minInterval.toNanos();
  }

  /**
   * @return true when a call was sent, false when one went out for this API within the interval
   */
  public boolean wakeUp(String api) {
    long now = ticker.nanos();
    Long last = lastCall.get(api);
    if (last != null && now - last < minIntervalNanos) {
      return false;
    }
    if (last == null ? lastCall.putIfAbsent(api, now) != null : !lastCall.replace(api, last, now)) {
      return false;
    }
    LOG.infof("API '%s' has no ready replica: asking the operator to wake it up", api);
    Channel channel = operator.get();
    ScalingGrpc.newStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .wakeUp(
            WakeUpRequest.newBuilder().setApi(api).setRouterId(routerId).build(),
            new StreamObserver<WakeUpResponse>() {
              @Override
              public void onNext(WakeUpResponse r) {
                LOG.debugf("wake-up of '%s': %d replicas desired", api, r.getDesiredReplicas());
              }

              @Override
              public void onError(Throwable t) {
                LOG.warnf("wake-up call for API '%s' failed: %s", api, t.toString());
                if (Status.fromThrowable(t).getCode() == Status.Code.UNAVAILABLE
                    && channel instanceof ManagedChannel managed) {
                  // A new connection for the next call (the routes stream keeps its own): behind
                  // a Service it may reach the leader where a follower operator refused.
                  managed.enterIdle();
                }
              }

              @Override
              public void onCompleted() {}
            });
    return true;
  }
}
