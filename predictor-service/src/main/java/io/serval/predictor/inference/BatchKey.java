package io.serval.predictor.inference;

import java.util.Arrays;

/**
 * What requests must share to be joined in one batch: the non-batch dimensions of every input and
 * the requested outputs (datatypes are fixed by the model once validated).
 */
final class BatchKey {
  private final long[] dims;
  private final int[] outputs;
  private final int hash;

  BatchKey(long[] dims, int[] outputs) {
    this.dims = dims;
    this.outputs = outputs;
    this.hash = Arrays.hashCode(dims) * 31 + Arrays.hashCode(outputs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchKey k
        && hash == k.hash
        && Arrays.equals(dims, k.dims)
        && Arrays.equals(outputs, k.outputs);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "BatchKey" + Arrays.toString(dims) + Arrays.toString(outputs);
  }
}
