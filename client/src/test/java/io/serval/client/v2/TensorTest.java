package io.serval.client.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void typedElementsRoundTripThroughTheBinaryLayout() {
    Tensor f = Tensor.floats("f", new long[] {2, 2}, 1f, -2f, 3.5f, 0f);
    assertThat(f.datatype()).isEqualTo(Datatype.FP32);
    assertThat(f.raw()).hasSize(16);
    assertThat(f.floats()).containsExactly(1f, -2f, 3.5f, 0f);
    assertThat(Tensor.int64s("i", new long[] {1}, 1L << 40).int64s()).containsExactly(1L << 40);
    assertThat(Tensor.int32s("i", new long[] {1}, -7).int32s()).containsExactly(-7);
    assertThat(Tensor.doubles("d", new long[] {1}, 0.1).doubles()).containsExactly(0.1);
    assertThat(Tensor.bools("b", new long[] {2}, true, false).bools()).containsExactly(true, false);
    Tensor s = Tensor.strings("s", new long[] {3}, "a", "", "ü");
    assertThat(s.strings()).isEqualTo(List.of("a", "", "ü"));
    // 4-byte little-endian length, then the bytes: the V2 binary layout of BYTES.
    assertThat(Tensor.strings("s", new long[] {1}, "ab").raw())
        .containsExactly(2, 0, 0, 0, 'a', 'b');
    assertThat(Tensor.raw("r", Datatype.FP32, new long[] {4}, f.raw()).floats().length)
        .isEqualTo(4);
  }

  @Test
  void theShapeMustHoldTheElements() {
    assertThatThrownBy(() -> Tensor.floats("x", new long[] {1, 4}, 1f, 2f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 4 elements, data has 2");
    assertThatThrownBy(() -> Tensor.raw("x", Datatype.FP32, new long[] {1}, new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Tensor.raw("x", Datatype.BYTES, new long[] {1}, new byte[] {9, 0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs past");
  }

  @Test
  void aGetterOfTheWrongTypeSaysWhatTheTensorIs() {
    assertThatThrownBy(() -> Tensor.int64s("i", new long[] {1}, 1L).floats())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is INT64, not FP32");
  }

  @Test
  void tensorsAreValues() {
    assertThat(Tensor.floats("a", new long[] {1}, 1f))
        .isEqualTo(Tensor.floats("a", new long[] {1}, 1f));
    assertThat(Tensor.floats("a", new long[] {1}, 1f))
        .isNotEqualTo(Tensor.floats("a", new long[] {1}, 2f));
    assertThat(Datatype.of("fp32")).isEqualTo(Datatype.FP32);
    assertThatThrownBy(() -> Datatype.of("FP8")).isInstanceOf(IllegalArgumentException.class);
  }
}
