package io.serval.bench.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartTableTest {
  private static LaunchResult r(String variant, long ready, long cpu) {
    return new LaunchResult(
        variant, new StartLog(100, 1000, 300, -1, 50, 5, 40, 1440), ready, cpu, 30, 10);
  }

  @Test
  void mediansRangesAndRatiosAgainstTheFirstVariant() {
    String md =
        StartTable.markdown(
            List.of("before", "after"),
            List.of(
                r("before", 3000, 2000),
                r("after", 1000, 1000),
                r("before", 2000, 2200),
                r("after", 1500, 1100),
                r("before", 4000, 2100),
                r("after", 900, 900)));
    assertThat(md).startsWith("| ms: p50 (min–max) | before | after | ×before |");
    assertThat(md)
        .contains(
            "| **launch → ready (health 200 seen)** | 3000 (2000–4000) | 1000 (900–1500) | 0.33 |");
    assertThat(md)
        .contains("| CPU of the predictor to ready | 2100 (2000–2200) | 1000 (900–1100) | 0.48 |");
    // unknown values (-1) are left out, not counted as numbers
    assertThat(md).containsPattern("ONNX Runtime library[^\\n]*\\| – \\| – \\| – \\|");
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(StartTable.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(StartTable.median(new double[] {5})).isEqualTo(5);
    assertThat(StartTable.median(new double[] {})).isNaN();
  }
}
