package io.serval.autoscaler.stats;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.serval.autoscaler.aggregation.InFlightAggregator;
import io.serval.autoscaler.control.AutoscalerLoop;
import io.serval.proto.control.Stats;
import io.serval.proto.control.StatsAck;
import io.serval.proto.control.StatsReport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Receives every router's per-second samples. Recording is a short synchronized map update, so it
 * stays on the event loop; a malformed report ends that router's stream with INVALID_ARGUMENT.
 */
@GrpcService
public class StatsService implements Stats {

  private static final Logger LOG = Logger.getLogger(StatsService.class);

  @Inject InFlightAggregator aggregator;

  @Inject AutoscalerLoop loop;

  @Override
  public Uni<StatsAck> reportStats(Multi<StatsReport> reports) {
    AtomicReference<String> routerId = new AtomicReference<>();
    return reports
        .onItem()
        .invoke(
            report -> {
              routerId.set(report.getRouterId());
              record(report);
            })
        .onTermination()
        .invoke(
            () -> {
              // A router that closed its stream is gone; one that hangs ages out instead.
              String id = routerId.get();
              if (id != null && !id.isBlank()) {
                aggregator.forgetRouter(id);
              }
            })
        .collect()
        .last()
        .replaceWith(StatsAck.getDefaultInstance());
  }

  private void record(StatsReport report) {
    Map<String, Double> byApi;
    Map<String, Long> pending;
    try {
      byApi = StatsReports.inFlightByApi(report);
      pending = StatsReports.asyncPendingByApi(report);
    } catch (IllegalArgumentException e) {
      LOG.warnf("rejecting stats stream: %s", e.getMessage());
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    aggregator.record(report.getRouterId(), StatsReports.sampleEnd(report), byApi, pending);
    loop.reportRecorded();
  }
}
