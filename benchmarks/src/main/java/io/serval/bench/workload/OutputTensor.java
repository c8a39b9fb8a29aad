package io.serval.bench.workload;

import java.util.Arrays;

/** An FP32 output as a response decoded it, for checking a path against the in-process result. */
public record OutputTensor(String name, long[] shape, float[] values) {

  /**
   * Returns null when {@code actual} matches this expected output within {@code tolerance}
   * (absolute plus relative), else a message saying where it differs.
   */
  public String mismatch(OutputTensor actual, float tolerance) {
    if (!Arrays.equals(shape, actual.shape())) {
      return "output "
          + name
          + ": shape "
          + Arrays.toString(actual.shape())
          + ", expected "
          + Arrays.toString(shape);
    }
    if (actual.values().length != values.length) {
      return "output "
          + name
          + ": "
          + actual.values().length
          + " values, expected "
          + values.length;
    }
    for (int i = 0; i < values.length; i++) {
      float expected = values[i];
      float got = actual.values()[i];
      if (!(Math.abs(expected - got) <= tolerance * (1 + Math.abs(expected)))) {
        return "output " + name + "[" + i + "] = " + got + ", expected " + expected;
      }
    }
    return null;
  }
}
