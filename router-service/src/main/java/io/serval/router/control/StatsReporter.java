package io.serval.router.control;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.serval.proto.control.ApiSample;
import io.serval.proto.control.StatsAck;
import io.serval.proto.control.StatsGrpc;
import io.serval.proto.control.StatsReport;
import io.serval.router.dispatch.ApiLane;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Streams per-API samples to the autoscaler (Stats.ReportStats): in-flight (queued + executing)
 * averaged over ten sub-samples per period, plus request and error counts. Best effort: while the
 * autoscaler is away samples are dropped and the stream is reopened with backoff.
 */
public final class StatsReporter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StatsReporter.class);
  private static final int SUBSAMPLES = 10;

  private final Channel autoscaler;
  private final String routerId;
  private final Supplier<Collection<ApiLane>> lanes;
  private final Clock clock;
  private final Backoff backoff;
  private final Map<String, double[]> inFlightSums = new HashMap<>();
  private int subsample;
  private volatile ClientCallStreamObserver<StatsReport> stream;
  private volatile long reconnectAtMillis;
  private volatile boolean closed;

  public StatsReporter(
      Channel autoscaler,
      String routerId,
      Supplier<Collection<ApiLane>> lanes,
      Clock clock,
      Backoff backoff) {
    this.autoscaler = autoscaler;
    this.routerId = routerId;
    this.lanes = lanes;
    this.clock = clock;
    this.backoff = backoff;
  }

  public void start(ScheduledExecutorService timer, Duration period) {
    long step = Math.max(1, period.toMillis() / SUBSAMPLES);
    timer.scheduleAtFixedRate(this::tick, step, step, TimeUnit.MILLISECONDS);
  }

  /** Runs on the timer thread only. */
  void tick() {
    try {
      for (ApiLane lane : lanes.get()) {
        inFlightSums.computeIfAbsent(lane.name(), k -> new double[1])[0] +=
            lane.queued() + lane.executing();
      }
      if (++subsample < SUBSAMPLES) {
        return;
      }
      subsample = 0;
      StatsReport report = report();
      inFlightSums.clear();
      send(report);
    } catch (RuntimeException e) {
      LOG.error("stats tick failed", e);
    }
  }

  private StatsReport report() {
    StatsReport.Builder b =
        StatsReport.newBuilder().setRouterId(routerId).setTimestampMillis(clock.millis());
    for (ApiLane lane : lanes.get()) {
      double[] sum = inFlightSums.get(lane.name());
      int queued = lane.queued();
      int executing = lane.executing();
      b.addSamples(
          ApiSample.newBuilder()
              .setApi(lane.name())
              .setInFlight(sum == null ? queued + executing : sum[0] / SUBSAMPLES)
              .setQueued(queued)
              .setExecuting(executing)
              .setRequests(lane.takeRequests())
              .setErrors(lane.takeErrors()));
    }
    return b.build();
  }

  private void send(StatsReport report) {
    if (closed) {
      return;
    }
    if (stream == null) {
      if (clock.millis() < reconnectAtMillis) {
        return;
      }
      open();
    }
    ClientCallStreamObserver<StatsReport> s = stream;
    if (s == null) {
      return;
    }
    if (s.isReady()) {
      // Ready means the stream reached the autoscaler: the connection is healthy again.
      backoff.reset();
    }
    s.onNext(report);
  }

  private void open() {
    StatsGrpc.newStub(autoscaler)
        .reportStats(
            new ClientResponseObserver<StatsReport, StatsAck>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<StatsReport> requestStream) {
                stream = requestStream;
              }

              @Override
              public void onNext(StatsAck ack) {}

              @Override
              public void onError(Throwable t) {
                broken("stats stream to the autoscaler failed: " + t);
              }

              @Override
              public void onCompleted() {
                broken("the autoscaler closed the stats stream");
              }
            });
  }

  private void broken(String why) {
    // Runs on a transport thread; the timer thread sees the null on its next tick.
    long delay = backoff.nextDelayMillis();
    reconnectAtMillis = clock.millis() + delay;
    stream = null;
    LOG.debugf("%s; reopening in %d ms", why, delay);
  }

  @Override
  public void close() {
    closed = true;
    ClientCallStreamObserver<StatsReport> s = stream;
    if (s != null) {
      s.onCompleted();
    }
  }
}
