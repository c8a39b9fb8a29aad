package io.serval.specrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AsyncRulesTest {

  @Test
  void theDefaultAndTheBoundsThemselvesAreValid() {
    assertThat(AsyncRules.check(AsyncRules.DEFAULT_RESULT_TTL)).isEmpty();
    assertThat(AsyncRules.check(Duration.ofMinutes(1))).isEmpty();
    assertThat(AsyncRules.check(Duration.ofDays(30))).isEmpty();
  }

  @Test
  void aTtlOutsideOneMinuteToThirtyDaysIsNamedWithItsPath() {
    assertThat(AsyncRules.check(Duration.ofSeconds(59)))
        .containsExactly(
            new SpecProblem("spec.async.resultTtl", "must be between 1m and 720h, got 59s"));
    assertThat(AsyncRules.check(Duration.ofDays(30).plusSeconds(1)))
        .extracting(SpecProblem::path)
        .containsExactly("spec.async.resultTtl");
    assertThat(AsyncRules.check(Duration.ZERO)).hasSize(1);
    assertThat(AsyncRules.check(null))
        .containsExactly(new SpecProblem("spec.async.resultTtl", "must be set"));
  }
}
