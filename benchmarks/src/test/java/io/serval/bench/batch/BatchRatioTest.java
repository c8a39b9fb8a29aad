package io.serval.bench.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchRatioTest {
  @Test
  void theBestConcurrencyHasTheHighestThroughputAndTheLowerOneWinsATie() {
    Map<Integer, Double> ramp = new LinkedHashMap<>();
    ramp.put(1, 40.0);
    ramp.put(2, 70.0);
    ramp.put(4, 75.0);
    ramp.put(8, 75.0);
    ramp.put(16, 60.0);
    assertThat(BatchRatio.bestConcurrency(ramp)).isEqualTo(4);
    assertThat(BatchRatio.formatRamp(ramp)).startsWith("c=1 40.0/s, c=2 70.0/s");
    assertThatThrownBy(() -> BatchRatio.bestConcurrency(Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theVerdictComparesMediansWithTheGoal() {
    assertThat(BatchRatio.verdict(List.of(100.0, 80.0, 120.0), List.of(95.0, 91.0, 10.0)))
        .isEqualTo("batch / realtime best (medians): 91.0 / 100.0 = 0.910 (goal >= 0.9: met)");
    assertThat(BatchRatio.verdict(List.of(100.0, 100.0), List.of(80.0, 90.0)))
        .endsWith("= 0.850 (goal >= 0.9: missed)");
  }
}
