package io.serval.autoscaler.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.autoscaler.simulation.SimulatedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InFlightAggregatorTest {

  private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InFlightAggregator aggregator =
      new InFlightAggregator(clock, Duration.ofSeconds(5), Duration.ofMinutes(15));

  private void second(Map<String, Double> a, Map<String, Double> b) {
    clock.advance(Duration.ofSeconds(1));
    if (a != null) {
      aggregator.record("router-a", clock.instant(), a);
    }
    if (b != null) {
      aggregator.record("router-b", clock.instant(), b);
    }
  }

  @Test
  void sumsRoutersPerSecondAndAveragesOverTheWindow() {
    second(Map.of("api", 2.0), Map.of("api", 4.0));
    second(Map.of("api", 4.0), Map.of("api", 6.0));
    InFlightAverage avg = aggregator.average("api", Duration.ofSeconds(60)).orElseThrow();
    assertThat(avg.value()).isEqualTo(8.0); // (6 + 10) / 2
    assertThat(avg.seconds()).isEqualTo(2);
    assertThat(avg.routers()).isEqualTo(2);
  }

  @Test
  void theAsyncBacklogIsTheLargestReadingPerSecondNotTheSum() {
    // Two routers on one PostgreSQL store read the same 30 pending requests: 30, not 60.
    clock.advance(Duration.ofSeconds(1));
    aggregator.record("router-a", clock.instant(), Map.of("api", 1.0), Map.of("api", 30L));
    aggregator.record("router-b", clock.instant(), Map.of("api", 1.0), Map.of("api", 28L));
    clock.advance(Duration.ofSeconds(1));
    aggregator.record("router-a", clock.instant(), Map.of("api", 1.0), Map.of("api", 10L));
    aggregator.record("router-b", clock.instant(), Map.of("api", 1.0), Map.of());
    assertThat(aggregator.asyncBacklog("api", Duration.ofSeconds(60))).isEqualTo(20.0);
    assertThat(aggregator.asyncBacklog("other", Duration.ofSeconds(60))).isZero();
    assertThat(aggregator.average("api", Duration.ofSeconds(60)).orElseThrow().value())
        .as("the backlog is kept apart from in-flight")
        .isEqualTo(2.0);
  }

  @Test
  void aBacklogIsActivityEvenWithNothingInFlight() {
    clock.advance(Duration.ofSeconds(1));
    aggregator.record("router-a", clock.instant(), Map.of("api", 0.0), Map.of("api", 3L));
    assertThat(aggregator.lastActive("api")).contains(clock.instant());
    assertThat(aggregator.asyncBacklog("api", Duration.ofSeconds(1))).isEqualTo(3.0);
  }

  @Test
  void noRouterNoBacklog() {
    assertThat(aggregator.asyncBacklog("api", Duration.ofSeconds(60))).isZero();
  }

  @Test
  void onlyTheSecondsInsideTheWindowCount() {
    for (int i = 0; i < 10; i++) {
      second(Map.of("api", 100.0), null);
    }
    for (int i = 0; i < 6; i++) {
      second(Map.of("api", 10.0), null);
    }
    assertThat(aggregator.average("api", Duration.ofSeconds(6)).orElseThrow().value())
        .isEqualTo(10.0);
    assertThat(aggregator.average("api", Duration.ofSeconds(16)).orElseThrow().value())
        .isEqualTo((1000.0 + 60) / 16);
  }

  @Test
  void anApiMissingFromAReportCountsAsZero() {
    second(Map.of("api", 8.0), null);
    second(Map.of("other", 1.0), null);
    assertThat(aggregator.average("api", Duration.ofSeconds(60)).orElseThrow().value())
        .isEqualTo(4.0);
  }

  @Test
  void aRouterThatStopsReportingAgesOut() {
    second(Map.of("api", 10.0), Map.of("api", 30.0));
    for (int i = 0; i < 5; i++) {
      second(Map.of("api", 10.0), null);
    }
    // router-b last reported 5 s ago: still live, and the window ends at its last second
    assertThat(aggregator.average("api", Duration.ofSeconds(60)).orElseThrow().routers())
        .isEqualTo(2);
    second(Map.of("api", 10.0), null);
    InFlightAverage avg = aggregator.average("api", Duration.ofSeconds(60)).orElseThrow();
    assertThat(avg.routers()).isEqualTo(1);
    assertThat(avg.value()).isEqualTo(10.0);
    assertThat(aggregator.liveRouters()).isEqualTo(1);
  }

  @Test
  void theWindowEndsAtTheLastSecondEveryLiveRouterReported() {
    second(Map.of("api", 10.0), Map.of("api", 10.0));
    second(Map.of("api", 10.0), null); // router-b's report for this second is late
    InFlightAverage avg = aggregator.average("api", Duration.ofSeconds(60)).orElseThrow();
    assertThat(avg.value()).isEqualTo(20.0);
    assertThat(avg.seconds()).isEqualTo(1);
  }

  @Test
  void noLiveRouterMeansNoAverage() {
    assertThat(aggregator.average("api", Duration.ofSeconds(60))).isEmpty();
    second(Map.of("api", 1.0), null);
    clock.advance(Duration.ofSeconds(6));
    assertThat(aggregator.average("api", Duration.ofSeconds(60))).isEmpty();
  }

  @Test
  void remembersTheLastSecondWithRequestsInFlight() {
    second(Map.of("api", 3.0), null);
    Instant active = clock.instant();
    second(Map.of("api", 0.0), null);
    assertThat(aggregator.lastActive("api")).contains(active);
    assertThat(aggregator.lastActive("never")).isEmpty();
  }
}
