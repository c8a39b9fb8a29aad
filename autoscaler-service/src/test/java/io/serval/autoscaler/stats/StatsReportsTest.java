package io.serval.autoscaler.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.proto.control.ApiSample;
import io.serval.proto.control.StatsReport;
import org.junit.jupiter.api.Test;

class StatsReportsTest {

  private static StatsReport.Builder report() {
    return StatsReport.newBuilder().setRouterId("r1").setTimestampMillis(1_000);
  }

  @Test
  void readsInFlightAndFallsBackToQueuedPlusExecuting() {
    StatsReport r =
        report()
            .addSamples(ApiSample.newBuilder().setApi("a").setInFlight(2.5))
            .addSamples(ApiSample.newBuilder().setApi("b").setQueued(3).setExecuting(4))
            .build();
    assertThat(StatsReports.inFlightByApi(r)).containsEntry("a", 2.5).containsEntry("b", 7.0);
  }

  @Test
  void namesTheRouterAndTheBadSample() {
    StatsReport r =
        report()
            .addSamples(ApiSample.newBuilder().setApi("a").setInFlight(1))
            .addSamples(ApiSample.newBuilder().setApi("b").setInFlight(-1))
            .build();
    assertThatThrownBy(() -> StatsReports.inFlightByApi(r))
        .hasMessage(
            "StatsReport from router 'r1': samples[1].in_flight must be a finite number >= 0,"
                + " got -1.0");
  }

  @Test
  void refusesAReportWithoutRouterOrTimestamp() {
    assertThatThrownBy(() -> StatsReports.inFlightByApi(report().setRouterId("").build()))
        .hasMessageContaining("router_id");
    assertThatThrownBy(() -> StatsReports.inFlightByApi(report().setTimestampMillis(0).build()))
        .hasMessageContaining("timestamp_millis");
  }

  @Test
  void readsTheAsyncBacklogAndRefusesANegativeOne() {
    StatsReport r =
        report()
            .addSamples(ApiSample.newBuilder().setApi("a").setAsyncPending(12))
            .addSamples(ApiSample.newBuilder().setApi("b"))
            .build();
    assertThat(StatsReports.asyncPendingByApi(r))
        .containsExactlyEntriesOf(java.util.Map.of("a", 12L));
    StatsReport bad =
        report().addSamples(ApiSample.newBuilder().setApi("a").setAsyncPending(-3)).build();
    assertThatThrownBy(() -> StatsReports.asyncPendingByApi(bad))
        .hasMessage("StatsReport from router 'r1': samples[0].async_pending must be >= 0, got -3");
  }
}
