package io.serval.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputTensorTest {
  private final OutputTensor expected =
      new OutputTensor("y", new long[] {1, 2}, new float[] {1, 100});

  @Test
  void acceptsValuesWithinTolerance() {
    assertThat(
            expected.mismatch(
                new OutputTensor("y", new long[] {1, 2}, new float[] {1.0005f, 100.05f}), 1e-3f))
        .isNull();
  }

  @Test
  void namesTheFirstDifferentValueOrShape() {
    assertThat(
            expected.mismatch(
                new OutputTensor("y", new long[] {1, 2}, new float[] {1, 101}), 1e-3f))
        .contains("y[1] = 101.0");
    assertThat(
            expected.mismatch(new OutputTensor("y", new long[] {2}, new float[] {1, 100}), 1e-3f))
        .contains("shape [2]");
    assertThat(
            expected.mismatch(
                new OutputTensor("y", new long[] {1, 2}, new float[] {Float.NaN, 100}), 1e-3f))
        .contains("NaN");
  }
}
