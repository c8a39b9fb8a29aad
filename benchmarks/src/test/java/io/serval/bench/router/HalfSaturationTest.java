package io.serval.bench.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HalfSaturationTest {

  @Test
  void picksTheConcurrencyWhoseThroughputIsNearestHalfOfSaturation() {
    Map<Integer, Double> ramp = new LinkedHashMap<>();
    ramp.put(1, 2000.0);
    ramp.put(2, 3800.0);
    ramp.put(4, 6500.0);
    ramp.put(8, 9000.0);
    ramp.put(64, 10000.0);
    assertThat(HalfSaturation.pick(ramp, 10000)).isEqualTo(2);
    assertThat(HalfSaturation.pick(ramp, 13000)).isEqualTo(4);
  }

  @Test
  void prefersTheLowerConcurrencyOnATie() {
    Map<Integer, Double> ramp = new LinkedHashMap<>();
    ramp.put(8, 600.0);
    ramp.put(4, 400.0);
    assertThat(HalfSaturation.pick(ramp, 1000)).isEqualTo(4);
  }

  @Test
  void theRampMeasuresEveryStepInOrderUpToSaturation() throws Exception {
    java.util.List<Integer> asked = new java.util.ArrayList<>();
    Map<Integer, Double> ramp =
        HalfSaturation.ramp(
            c -> {
              asked.add(c);
              return 100.0 * c;
            });
    assertThat(asked).isEqualTo(HalfSaturation.RAMP);
    assertThat(asked.getLast()).isEqualTo(HalfSaturation.SATURATION);
    assertThat(ramp).containsEntry(4, 400.0).hasSize(HalfSaturation.RAMP.size());
  }

  @Test
  void refusesAnEmptyRamp() {
    assertThatThrownBy(() -> HalfSaturation.pick(Map.of(), 1)).hasMessageContaining("empty");
  }
}
