package io.serval.router.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {

  @Test
  void reservesWhatFitsAndNothingElse() {
    BodyBudget b = new BodyBudget(100);
    assertThat(b.tryReserve(60)).isTrue();
    assertThat(b.fits(40)).isTrue();
    assertThat(b.fits(41)).isFalse();
    assertThat(b.tryReserve(41)).isFalse();
    assertThat(b.used()).isEqualTo(60);
    assertThat(b.tryReserve(40)).isTrue();
    b.release(100);
    assertThat(b.used()).isZero();
    assertThat(b.tryReserve(Long.MAX_VALUE)).isFalse();
  }

  @Test
  void needsACapacity() {
    assertThatThrownBy(() -> new BodyBudget(0)).hasMessageContaining("at least 1 byte");
  }
}
