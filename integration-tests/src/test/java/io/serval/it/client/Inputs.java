package io.serval.it.client;

import io.serval.it.models.SlowModel;
import java.util.List;

/** Inputs of the suite's models. */
public final class Inputs {

  private Inputs() {}

  /** addFp32(width): "a" and "b", one row each. */
  public static List<Tensor> add(int width, float offset) {
    float[] a = new float[width];
    float[] b = new float[width];
    for (int i = 0; i < width; i++) {
      a[i] = i + offset;
      b[i] = 0.5f * i;
    }
    long[] shape = {1, width};
    return List.of(Tensor.fp32("a", shape, a), Tensor.fp32("b", shape, b));
  }

  /** The slow model: one row. */
  public static List<Tensor> slow(int width) {
    float[] x = new float[width];
    for (int i = 0; i < width; i++) {
      x[i] = i * 0.25f;
    }
    return List.of(Tensor.fp32(SlowModel.INPUT, new long[] {1, width}, x));
  }

  /** MiniLM: "[CLS] this is a test sentence . [SEP]" as BERT token ids. */
  public static List<Tensor> minilm() {
    long[] ids = {101, 2023, 2003, 1037, 3231, 6251, 1012, 102};
    long[] mask = new long[ids.length];
    long[] types = new long[ids.length];
    java.util.Arrays.fill(mask, 1);
    long[] shape = {1, ids.length};
    return List.of(
        Tensor.int64("input_ids", shape, ids),
        Tensor.int64("attention_mask", shape, mask),
        Tensor.int64("token_type_ids", shape, types));
  }
}
