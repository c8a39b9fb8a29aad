package io.serval.predictor.inference;

import io.serval.predictor.model.ModelSignature;
import io.serval.predictor.model.TensorSpec;
import io.serval.v2.RawTensor;
import io.serval.v2.V2Exception;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a request's tensors against the model (names, datatypes, ranks, fixed dimensions,
 * requested outputs) and puts them in model order, with the key that decides which requests may
 * share a batch.
 */
public final class RequestPreparer {

  /** A request ready for the batcher. */
  public record Prepared(Object key, int rows, InferenceTask task) {}

  private static final Object UNBATCHED = new Object();

  private final String modelName;
  private final ModelSignature sig;
  private final boolean batching;
  private final int maxBatchSize;
  private final int[] allOutputs;

  /**
   * @param maxBatchSize above 1 (and a batchable model) turns batching on
   */
  public RequestPreparer(String modelName, ModelSignature sig, int maxBatchSize) {
    this.modelName = modelName;
    this.sig = sig;
    this.maxBatchSize = maxBatchSize;
    this.batching = sig.batchable() && maxBatchSize > 1;
    this.allOutputs = new int[sig.outputs().size()];
    Arrays.setAll(allOutputs, i -> i);
  }

  /**
   * @param requestedOutputs output names; empty means all of the model's outputs
   * @throws V2Exception INVALID_ARGUMENT naming the tensor and the problem
   */
  public Prepared prepare(List<RawTensor> inputs, List<String> requestedOutputs) {
    List<TensorSpec> specs = sig.inputs();
    RawTensor[] ordered = new RawTensor[specs.size()];
    for (RawTensor t : inputs) {
      int i = sig.inputIndex(t.name());
      if (i < 0) {
        throw V2Exception.invalid(
            "unknown input '"
                + t.name()
                + "'; model '"
                + modelName
                + "' has inputs "
                + sig.inputNames());
      }
      if (ordered[i] != null) {
        throw V2Exception.invalid("input '" + t.name() + "' appears more than once");
      }
      check(t, specs.get(i));
      ordered[i] = t;
    }
    for (int i = 0; i < ordered.length; i++) {
      if (ordered[i] == null) {
        TensorSpec s = specs.get(i);
        throw V2Exception.invalid(
            "missing input '"
                + s.name()
                + "' ("
                + s.describe()
                + "); model '"
                + modelName
                + "' has inputs "
                + sig.inputNames());
      }
    }
    int[] outputs = outputs(requestedOutputs);
    List<RawTensor> list = Arrays.asList(ordered);
    if (!sig.batchable()) {
      return new Prepared(UNBATCHED, 1, new InferenceTask(list, outputs, 1));
    }
    long rows = ordered[0].shape()[0];
    if (!batching) {
      return new Prepared(
          UNBATCHED,
          (int) Math.min(rows, Integer.MAX_VALUE),
          new InferenceTask(list, outputs, (int) Math.min(rows, Integer.MAX_VALUE)));
    }
    int dimCount = 0;
    for (RawTensor t : ordered) {
      if (t.shape()[0] != rows) {
        // Rows that disagree cannot be split back: run the request alone.
        return new Prepared(
            new Object(),
            maxBatchSize,
            new InferenceTask(list, outputs, (int) Math.min(rows, Integer.MAX_VALUE)));
      }
      dimCount += t.shape().length;
    }
    long[] dims = new long[dimCount];
    int k = 0;
    for (RawTensor t : ordered) {
      long[] s = t.shape();
      dims[k++] = s.length;
      for (int d = 1; d < s.length; d++) {
        dims[k++] = s[d];
      }
    }
    int r = (int) Math.min(rows, Integer.MAX_VALUE);
    return new Prepared(new BatchKey(dims, outputs), r, new InferenceTask(list, outputs, r));
  }

  private void check(RawTensor t, TensorSpec s) {
    if (t.datatype() != s.datatype()) {
      throw V2Exception.invalid(
          "input '"
              + t.name()
              + "' has datatype "
              + t.datatype()
              + " but model '"
              + modelName
              + "' expects "
              + s.datatype());
    }
    long[] shape = t.shape();
    long[] want = s.shape();
    if (shape.length != want.length) {
      throw V2Exception.invalid(
          "input '"
              + t.name()
              + "' has shape "
              + TensorSpec.format(shape)
              + " (rank "
              + shape.length
              + ") but model '"
              + modelName
              + "' expects "
              + TensorSpec.format(want)
              + " (rank "
              + want.length
              + ")");
    }
    for (int d = 0; d < want.length; d++) {
      if (want[d] >= 0 && shape[d] != want[d]) {
        throw V2Exception.invalid(
            "input '"
                + t.name()
                + "' has shape "
                + TensorSpec.format(shape)
                + " but model '"
                + modelName
                + "' expects "
                + TensorSpec.format(want)
                + ": dimension "
                + d
                + " must be "
                + want[d]);
      }
    }
  }

  private int[] outputs(List<String> requested) {
    if (requested.isEmpty()) {
      return allOutputs;
    }
    int[] idx = new int[requested.size()];
    int n = 0;
    outer:
    for (String name : requested) {
      int i = sig.outputIndex(name);
      if (i < 0) {
        throw V2Exception.invalid(
            "unknown requested output '"
                + name
                + "'; model '"
                + modelName
                + "' has outputs "
                + sig.outputNames());
      }
      for (int j = 0; j < n; j++) {
        if (idx[j] == i) {
          continue outer;
        }
      }
      idx[n++] = i;
    }
    return n == idx.length ? idx : Arrays.copyOf(idx, n);
  }
}
