package io.serval.specrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesSpecDurations() {
    assertThat(Durations.parse("2ms")).isEqualTo(Duration.ofMillis(2));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("0")).isZero();
    assertThat(Durations.parse(" 1h30m ")).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void formatReadsBack() {
    for (String text : new String[] {"2ms", "10s", "1m", "1m30s", "1h", "1500ms", "0s"}) {
      assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
    assertThat(Durations.parse(Durations.format(Duration.ofNanos(1_500_000))))
        .isEqualTo(Duration.ofNanos(1_500_000));
  }

  @Test
  void formatsNegativeDurationsForMessages() {
    assertThat(Durations.format(Duration.ofSeconds(-90))).isEqualTo("-1m30s");
  }

  @Test
  void refusesOtherText() {
    assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("got \"10\"");
    assertThatThrownBy(() -> Durations.parse("-1s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("1d")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesDurationsTooLongForALong() {
    assertThatThrownBy(() -> Durations.parse("999999999999h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be at most 8760h, got \"999999999999h\"");
    assertThat(Durations.parse("8760h")).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void formatsShortest() {
    assertThat(Durations.format(Duration.ofMillis(2))).isEqualTo("2ms");
    assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("1m");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
