package io.serval.bench.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResultModeTest {
  @Test
  void parsesTheTwoModesInAnyCaseAndNamesThemInLowerCase() {
    assertThat(ResultMode.parse("poll")).isEqualTo(ResultMode.POLL);
    assertThat(ResultMode.parse(" WAIT ")).isEqualTo(ResultMode.WAIT);
    assertThat(ResultMode.WAIT.label()).isEqualTo("wait");
  }

  @Test
  void refusesAnythingElse() {
    assertThatThrownBy(() -> ResultMode.parse("long-poll"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("poll or wait");
  }
}
