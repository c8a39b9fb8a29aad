package io.serval.router.control;

import io.serval.proto.control.ApiSample;
import io.serval.proto.control.RevisionSample;
import io.serval.proto.control.StatsReport;
import io.serval.router.dispatch.ApiLane;
import io.serval.router.dispatch.RevisionOutcomes;
import io.serval.router.stats.AsyncBacklog;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Samples every API once per period and streams the same report to each receiver: in-flight (queued
 * + executing) averaged over ten sub-samples per period for the autoscaler, the async requests
 * waiting in the store for a router (the autoscaler adds them to the load), request and error
 * counts, and what each revision's replicas answered for the operator's canary analysis.
 */
public final class StatsReporter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StatsReporter.class);
  private static final int SUBSAMPLES = 10;

  private final List<StatsStream> receivers;
  private final String routerId;
  private final Supplier<Collection<ApiLane>> lanes;
  private final Clock clock;
  private final AsyncBacklog asyncBacklog;
  private final Map<String, double[]> inFlightSums = new HashMap<>();
  private int subsample;

  StatsReporter(
      List<StatsStream> receivers,
      String routerId,
      Supplier<Collection<ApiLane>> lanes,
      AsyncBacklog asyncBacklog,
      Clock clock) {
    this.receivers = List.copyOf(receivers);
    this.routerId = routerId;
    this.lanes = lanes;
    this.clock = clock;
    this.asyncBacklog = asyncBacklog;
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
      for (StatsStream r : receivers) {
        r.send(report);
      }
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
      ApiSample.Builder sample =
          ApiSample.newBuilder()
              .setApi(lane.name())
              .setInFlight(sum == null ? queued + executing : sum[0] / SUBSAMPLES)
              .setQueued(queued)
              .setExecuting(executing)
              .setRequests(lane.takeRequests())
              .setErrors(lane.takeErrors())
              .setAsyncPending(asyncBacklog.pending(lane.name()));
      for (RevisionOutcomes.Sample s : lane.takeRevisionOutcomes()) {
        sample.addRevisions(
            RevisionSample.newBuilder()
                .setRevision(s.revision())
                .setAnswered(s.answered())
                .setFailed(s.failed()));
      }
      b.addSamples(sample);
    }
    return b.build();
  }

  @Override
  public void close() {
    receivers.forEach(StatsStream::close);
  }
}
