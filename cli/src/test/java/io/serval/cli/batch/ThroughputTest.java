package io.serval.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThroughputTest {

  final TestClock clock = new TestClock();
  final Throughput t = new Throughput(clock, Duration.ofSeconds(10));

  @Test
  void noRateBeforeTwoReadingsAtDifferentTimes() {
    assertThat(t.rate()).isEmpty();
    t.record(0);
    assertThat(t.rate()).isEmpty();
    t.record(5); // same instant: no span to divide by
    assertThat(t.rate()).isEmpty();
    assertThat(t.eta(100L)).isEmpty();
  }

  @Test
  void steadyProgressGivesItsRateAndTheTimeLeft() {
    for (int i = 0; i <= 20; i++) {
      t.record(i * 50L); // 50 items a second
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(t.rate()).hasValueCloseTo(50.0, within(0.001));
    // 1000 done of 2000 at 50/s
    assertThat(t.eta(2000L)).contains(Duration.ofSeconds(20));
  }

  @Test
  void theRateIsSmoothedOverTheWindowNotSinceTheStart() {
    // 30 s at 10/s, then 10 s at 100/s: the window sees only the fast part
    long done = 0;
    for (int i = 0; i < 30; i++) {
      t.record(done);
      done += 10;
      clock.advance(Duration.ofSeconds(1));
    }
    for (int i = 0; i <= 10; i++) {
      t.record(done);
      done += 100;
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(t.rate().getAsDouble()).isCloseTo(100.0, within(10.0));
  }

  @Test
  void aBurstIsSpreadOverTheWindow() {
    t.record(0);
    clock.advance(Duration.ofSeconds(1));
    t.record(0);
    clock.advance(Duration.ofSeconds(1));
    t.record(1000); // 1000 items arrive at once
    // over the 2 s seen so far: 500/s, not 1000/s for the last second alone
    assertThat(t.rate()).hasValueCloseTo(500.0, within(0.001));
  }

  @Test
  void aStalledJobFallsToZeroRateAndHasNoEta() {
    t.record(0);
    clock.advance(Duration.ofSeconds(1));
    t.record(100);
    for (int i = 0; i < 12; i++) { // more than the window without progress
      clock.advance(Duration.ofSeconds(1));
      t.record(100);
    }
    assertThat(t.rate()).hasValue(0.0);
    assertThat(t.eta(1000L)).as("no ETA at a rate of zero").isEmpty();
  }

  @Test
  void anUnknownTotalHasARateButNoEta() {
    t.record(0);
    clock.advance(Duration.ofSeconds(2));
    t.record(40);
    assertThat(t.rate()).hasValueCloseTo(20.0, within(0.001));
    assertThat(t.eta(null)).isEmpty();
  }

  @Test
  void aCountThatGoesBackStartsAfresh() {
    t.record(500);
    clock.advance(Duration.ofSeconds(1));
    t.record(600);
    clock.advance(Duration.ofSeconds(1));
    t.record(10);
    assertThat(t.rate()).isEmpty();
  }

  @Test
  void aFinishedJobHasNoTimeLeft() {
    t.record(0);
    clock.advance(Duration.ofSeconds(1));
    t.record(100);
    assertThat(t.eta(100L)).contains(Duration.ZERO);
  }
}
