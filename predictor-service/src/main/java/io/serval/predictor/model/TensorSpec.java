package io.serval.predictor.model;

import io.serval.v2.Datatype;
import java.util.Arrays;

/**
 * One input or output of the model as the V2 protocol describes it.
 *
 * @param shape -1 marks a dynamic dimension
 */
public record TensorSpec(String name, Datatype datatype, long[] shape) {

  public int rank() {
    return shape.length;
  }

  /** True when dimension 0 exists and is dynamic. */
  public boolean hasBatchDimension() {
    return shape.length > 0 && shape[0] < 0;
  }

  /** {@code FP32 [-1,4]}, for error messages. */
  public String describe() {
    return datatype + " " + format(shape);
  }

  public static String format(long[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(shape[i]);
    }
    return sb.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t
        && name.equals(t.name)
        && datatype == t.datatype
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + describe();
  }
}
