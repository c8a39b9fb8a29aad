package io.serval.bench.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentilesAreNearestRank() {
    Latencies l = new Latencies();
    for (int ms = 100; ms >= 1; ms--) { // out of order: the percentile sorts
      l.add(ms * 1_000_000L);
    }
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.percentileMillis(50)).isEqualTo(50.0);
    assertThat(l.percentileMillis(90)).isEqualTo(90.0);
    assertThat(l.percentileMillis(99)).isEqualTo(99.0);
    assertThat(l.percentileMillis(100)).isEqualTo(100.0);
  }

  @Test
  void aFewSamplesRoundTheRankUp() {
    Latencies l = new Latencies();
    l.add(3_000_000);
    l.add(1_000_000);
    l.add(2_000_000);
    assertThat(l.percentileMillis(50)).isEqualTo(2.0);
    assertThat(l.percentileMillis(99)).isEqualTo(3.0);
  }

  @Test
  void addAllPoolsRounds() {
    Latencies a = new Latencies();
    Latencies b = new Latencies();
    a.add(1_000_000);
    b.add(5_000_000);
    b.add(9_000_000);
    a.addAll(b);
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.percentileMillis(50)).isEqualTo(5.0);
  }

  @Test
  void noSamplesIsNaNAndBadInputIsRefused() {
    Latencies l = new Latencies();
    assertThat(l.percentileMillis(50)).isNaN();
    assertThatThrownBy(() -> l.add(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> l.percentileMillis(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
