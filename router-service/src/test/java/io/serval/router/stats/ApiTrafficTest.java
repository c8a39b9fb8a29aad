package io.serval.router.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiTrafficTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    long millis = 1_000_000_000L;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    void advance(Duration d) {
      millis += d.toMillis();
    }
  }

  private final ManualClock clock = new ManualClock();
  private final ApiTraffic traffic = ApiTraffic.lastFiveMinutes(clock);

  private static long ms(long millis) {
    return millis * 1_000_000L;
  }

  @Test
  void countsAnswersByHttpClassWithRateAndLatencies() {
    for (int i = 0; i < 98; i++) {
      traffic.completed("a", Status.Code.OK, ms(10));
    }
    traffic.completed("a", Status.Code.INVALID_ARGUMENT, ms(1));
    traffic.completed("a", Status.Code.UNAVAILABLE, ms(1000));
    clock.advance(Duration.ofMinutes(5));

    WindowSummary w = traffic.windows().get("a");
    // Recorded in the first bucket, read 5 minutes later: 29 buckets on, still in the window.
    clock.millis -= 1;
    w = traffic.windows().get("a");
    assertThat(w.requests()).isEqualTo(100);
    assertThat(w.ok()).isEqualTo(98);
    assertThat(w.clientErrors()).isEqualTo(1);
    assertThat(w.serverErrors()).isEqualTo(1);
    assertThat(w.perSecond()).isCloseTo(100 / 300.0, within(0.01));
    assertThat(w.meanMillis()).isCloseTo((98 * 10 + 1 + 1000) / 100.0, within(0.001));
    // p50 lies in the 10 ms bin: at most 19% above it.
    assertThat(w.p50Millis()).isBetween(10.0, 11.9);
    assertThat(w.p99Millis()).isBetween(10.0, 11.9);
  }

  @Test
  void oldBucketsLeaveTheWindow() {
    traffic.completed("a", Status.Code.OK, ms(5));
    clock.advance(Duration.ofMinutes(2));
    traffic.completed("a", Status.Code.INTERNAL, ms(5));
    clock.advance(Duration.ofMinutes(4));

    WindowSummary w = traffic.windows().get("a");
    assertThat(w.requests()).isEqualTo(1);
    assertThat(w.serverErrors()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(2));
    w = traffic.windows().get("a");
    assertThat(w.requests()).isZero();
    assertThat(w.perSecond()).isZero();
    assertThat(w.p99Millis()).isNaN();
    // The totals since start keep everything.
    assertThat(traffic.totals("a").successes()).isEqualTo(1);
    assertThat(traffic.totals("a").failures()).isEqualTo(1);
  }

  @Test
  void aReusedBucketStartsFromZero() {
    traffic.completed("a", Status.Code.OK, ms(5));
    // Exactly one window later the same ring slot is reused for the new period.
    clock.advance(Duration.ofMinutes(5));
    traffic.completed("a", Status.Code.OK, ms(5));
    assertThat(traffic.windows().get("a").requests()).isEqualTo(1);
  }

  @Test
  void rateIsOverTheTimeTheRouterHasBeenUp() {
    clock.advance(Duration.ofSeconds(60));
    for (int i = 0; i < 120; i++) {
      traffic.completed("a", Status.Code.OK, ms(1));
    }
    assertThat(traffic.windows().get("a").perSecond()).isCloseTo(2.0, within(0.01));
  }

  @Test
  void totalsKeepDurationsAndLastRequestTime() {
    traffic.completed("a", Status.Code.OK, 300);
    clock.advance(Duration.ofSeconds(1));
    traffic.completed("a", Status.Code.NOT_FOUND, 50);
    ApiTraffic.Totals t = traffic.totals("a");
    assertThat(t.successes()).isEqualTo(1);
    assertThat(t.successNanos()).isEqualTo(300);
    assertThat(t.failures()).isEqualTo(1);
    assertThat(t.failureNanos()).isEqualTo(50);
    assertThat(t.lastMillis()).isEqualTo(clock.millis);
    assertThat(traffic.totals("none")).isEqualTo(ApiTraffic.Totals.NONE);
  }

  @Test
  void deletedApisAreDropped() {
    traffic.completed("a", Status.Code.OK, 1);
    traffic.completed("b", Status.Code.OK, 1);
    traffic.retain(List.of("b"));
    assertThat(traffic.apis()).containsExactly("b");
    assertThat(traffic.windows()).containsOnlyKeys("b");
    assertThat(traffic.totals("a").successes()).isZero();
  }

  @Test
  void grpcCodesMapToTheHttpClassRestClientsSee() {
    assertThat(ApiTraffic.httpClass(Status.Code.OK)).isEqualTo(2);
    assertThat(ApiTraffic.httpClass(Status.Code.INVALID_ARGUMENT)).isEqualTo(4);
    assertThat(ApiTraffic.httpClass(Status.Code.NOT_FOUND)).isEqualTo(4);
    assertThat(ApiTraffic.httpClass(Status.Code.CANCELLED)).isEqualTo(4);
    assertThat(ApiTraffic.httpClass(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(5);
    assertThat(ApiTraffic.httpClass(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(5);
    assertThat(ApiTraffic.httpClass(Status.Code.UNAVAILABLE)).isEqualTo(5);
  }

  @Test
  void everyFailureCountsInTheClassOfWhatTheRestEdgeAnswers() {
    for (Status.Code code : Status.Code.values()) {
      if (code != Status.Code.OK) {
        assertThat(ApiTraffic.httpClass(code))
            .as(code.name())
            .isEqualTo(
                io.serval.v2.V2Exception.fromStatus(Status.fromCode(code)).httpStatus() / 100);
      }
    }
  }

  @Test
  void latencyBinsBoundPercentilesWithinAFifth() {
    for (long micros : new long[] {1, 7, 150, 10_000, 3_000_000}) {
      double upper = LatencyBins.upperMillis(LatencyBins.of(micros * 1000));
      assertThat(upper).isGreaterThanOrEqualTo(micros / 1000.0);
      assertThat(upper).isLessThanOrEqualTo(micros / 1000.0 * 1.19 + 0.002);
    }
  }
}
