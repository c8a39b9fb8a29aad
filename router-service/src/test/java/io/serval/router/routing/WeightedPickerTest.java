package io.serval.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedPickerTest {
  private static final int PICKS = 20_000;

  @Test
  void picksEachIndexWithinTwoPointsOfItsWeight() {
    WeightedPicker picker = WeightedPicker.of(70, 20, 10, 0);
    SplittableRandom random = new SplittableRandom(42);
    int[] counts = new int[4];
    for (int i = 0; i < PICKS; i++) {
      counts[picker.pick(random)]++;
    }
    assertThat(100.0 * counts[0] / PICKS).isCloseTo(70, within(2.0));
    assertThat(100.0 * counts[1] / PICKS).isCloseTo(20, within(2.0));
    assertThat(100.0 * counts[2] / PICKS).isCloseTo(10, within(2.0));
    assertThat(counts[3]).as("a zero weight is never picked").isZero();
  }

  @Test
  void weightsNeedNotSumToHundred() {
    WeightedPicker picker = WeightedPicker.of(1, 3);
    SplittableRandom random = new SplittableRandom(7);
    int second = 0;
    for (int i = 0; i < PICKS; i++) {
      second += picker.pick(random);
    }
    assertThat(100.0 * second / PICKS).isCloseTo(75, within(2.0));
  }

  @Test
  void mirrorsItsShareIndependently() {
    SplittableRandom random = new SplittableRandom(3);
    int mirrored = 0;
    for (int i = 0; i < PICKS; i++) {
      if (WeightedPicker.mirror(5, random)) {
        mirrored++;
      }
    }
    assertThat(100.0 * mirrored / PICKS).isCloseTo(5, within(2.0));
    assertThat(WeightedPicker.mirror(100, random)).isTrue();
    assertThat(WeightedPicker.mirror(0, random)).isFalse();
  }

  @Test
  void refusesNegativeOrAllZeroWeights() {
    assertThatThrownBy(() -> WeightedPicker.of(10, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> WeightedPicker.of(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("> 0");
  }
}
