package io.serval.operator.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.runtime.kubernetes.status.EventNote;
import io.serval.operator.runtime.kubernetes.status.RolloutEvents;
import io.serval.operator.state.RolloutState;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutEventsTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aNewRolloutStarts() {
    Optional<EventNote> e =
        RolloutEvents.between(RolloutState.complete("a", "a", T), RolloutState.start("a", "b", T));

    assertThat(e).get().extracting(EventNote::reason).isEqualTo("RolloutStarted");
    assertThat(e.get().warning()).isFalse();
  }

  @Test
  void aRolloutBackToThePreviousRevisionIsARollback() {
    Optional<EventNote> e =
        RolloutEvents.between(RolloutState.complete("a", "b", T), RolloutState.start("b", "a", T));

    assertThat(e).get().extracting(EventNote::reason).isEqualTo("RollbackStarted");
  }

  @Test
  void completionAndTrafficStepsAreNormalEvents() {
    RolloutState waiting = RolloutState.start("a", "b", T);
    RolloutState shifting =
        new RolloutState("a", "b", RolloutState.Phase.SHIFTING, 0, T, "10% of traffic on b");

    assertThat(RolloutEvents.between(waiting, shifting))
        .get()
        .extracting(EventNote::reason)
        .isEqualTo("TrafficShifted");
    assertThat(RolloutEvents.between(shifting, RolloutState.complete("a", "b", T)))
        .get()
        .extracting(EventNote::reason)
        .isEqualTo("RolloutComplete");
  }

  @Test
  void anAutomaticRollbackIsAWarning() {
    RolloutState failed =
        new RolloutState("a", "b", RolloutState.Phase.ROLLED_BACK, -1, T, "b not ready");

    Optional<EventNote> e = RolloutEvents.between(RolloutState.start("a", "b", T), failed);

    assertThat(e)
        .get()
        .satisfies(
            n -> {
              assertThat(n.warning()).isTrue();
              assertThat(n.reason()).isEqualTo("RolledBack");
              assertThat(n.message()).isEqualTo("b not ready");
            });
  }

  @Test
  void nothingChangedOrAFirstDeployIsNoEvent() {
    RolloutState s = RolloutState.start("a", "b", T);

    assertThat(RolloutEvents.between(s, s)).isEmpty();
    assertThat(RolloutEvents.between(null, RolloutState.complete("a", "a", T))).isEmpty();
  }
}
