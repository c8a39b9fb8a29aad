package io.serval.operator.runtime.local.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.runtime.local.RestartBackoff;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A replica slot's crash history: backoff per death, forgotten once stable; on a fake clock. */
class RestartScheduleTest {

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void restartsBackOffExponentiallyUpToTheCapAndStartOverOnceStable() {
    RestartSchedule s =
        new RestartSchedule(
            new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5))::delay,
            Duration.ofSeconds(60));
    Instant t = t0;
    assertThat(s.died(t, "died of SIGFPE (exit 134)")).isEqualTo(t.plusSeconds(1));
    assertThat(s.lastCrash()).isEqualTo("died of SIGFPE (exit 134)");
    // Ready again, but not for long enough: the next death keeps counting.
    s.ready(t = t.plusSeconds(5));
    assertThat(s.settle(t = t.plusSeconds(59))).isFalse();
    assertThat(s.died(t, "died of SIGSEGV (exit 139)")).isEqualTo(t.plusSeconds(2));
    assertThat(s.died(t, "x")).isEqualTo(t.plusSeconds(4));
    assertThat(s.died(t, "x")).isEqualTo(t.plusSeconds(5));
    assertThat(s.died(t, "died of SIGFPE (exit 134)")).as("capped").isEqualTo(t.plusSeconds(5));
    assertThat(s.deaths()).isEqualTo(5);
    // Ready, then not ready: the stable period starts again at the next ready.
    s.ready(t = t.plusSeconds(10));
    s.notReady();
    s.ready(t = t.plusSeconds(30));
    assertThat(s.settle(t.plusSeconds(59))).isFalse();
    assertThat(s.lastCrash()).isEqualTo("died of SIGFPE (exit 134)");
    assertThat(s.settle(t = t.plusSeconds(60))).isTrue();
    assertThat(s.deaths()).isZero();
    assertThat(s.lastCrash()).isNull();
    assertThat(s.settle(t.plusSeconds(120))).as("nothing left to forget").isFalse();
    assertThat(s.died(t, "x")).as("back to the initial backoff").isEqualTo(t.plusSeconds(1));
  }
}
