package io.serval.operator.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.operator.rollout.Outcomes;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RevisionOutcomeLedgerTest {

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
  private final RevisionOutcomeLedger ledger = new RevisionOutcomeLedger(Duration.ofMinutes(10));

  private Instant at(double seconds) {
    return t0.plusMillis((long) (seconds * 1000));
  }

  @Test
  void routersAreSummedAndOnlyTheStepsSecondsCount() {
    ledger.record("api", "new", 10, 1, at(1));
    ledger.record("api", "new", 30, 9, at(5.2)); // router a
    ledger.record("api", "new", 20, 0, at(5.7)); // router b, same second
    ledger.record("api", "new", 5, 5, at(9));
    ledger.record("api", "old", 90, 0, at(9));
    ledger.record("other", "new", 1000, 1000, at(9));

    assertThat(ledger.since("api", "new", at(5))).isEqualTo(new Outcomes(55, 14));
    assertThat(ledger.since("api", "new", at(0))).isEqualTo(new Outcomes(65, 15));
    assertThat(ledger.since("api", "new", at(10))).isEqualTo(Outcomes.NONE);
    assertThat(ledger.since("api", "old", at(5))).isEqualTo(new Outcomes(90, 0));
    assertThat(ledger.since("api", "unknown", at(0))).isEqualTo(Outcomes.NONE);
  }

  @Test
  void failuresNeverExceedAnswers() {
    ledger.record("api", "new", 3, 7, at(1));
    assertThat(ledger.since("api", "new", at(0))).isEqualTo(new Outcomes(3, 3));
  }

  @Test
  void aLateReportJoinsTheNewestSecondInsteadOfBeingLost() {
    ledger.record("api", "new", 10, 0, at(8));
    ledger.record("api", "new", 4, 4, at(7)); // delivered out of order
    assertThat(ledger.since("api", "new", at(8))).isEqualTo(new Outcomes(14, 4));
  }

  @Test
  void oldSecondsAndSilentRevisionsAreDropped() {
    ledger.record("api", "gone", 10, 0, at(0));
    ledger.record("api", "new", 10, 0, at(1));
    ledger.record("api", "new", 10, 0, at(650));
    assertThat(ledger.revisions()).as("'gone' reported nothing for 10 minutes").isEqualTo(1);
    assertThat(ledger.since("api", "new", at(0))).isEqualTo(new Outcomes(10, 0));
  }

  @Test
  void aRetentionUnderASecondIsRefused() {
    assertThatThrownBy(() -> new RevisionOutcomeLedger(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1s");
  }
}
