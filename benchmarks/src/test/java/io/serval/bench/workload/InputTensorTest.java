package io.serval.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputTensorTest {

  @Test
  void repeatsABatchOneTensorAlongDimensionZero() {
    InputTensor t = InputTensor.fp32("x", new float[] {1, 2}, 1, 2).repeated(3);
    assertThat(t.shape()).containsExactly(3, 2);
    assertThat(t.floats()).containsExactly(1, 2, 1, 2, 1, 2);
    InputTensor ids = InputTensor.int64("ids", new long[] {7}, 1, 1).repeated(2);
    assertThat(ids.longs()).containsExactly(7, 7);
  }

  @Test
  void refusesToRepeatATensorThatIsAlreadyABatch() {
    assertThatThrownBy(() -> InputTensor.fp32("x", new float[] {1, 2}, 2, 1).repeated(2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
