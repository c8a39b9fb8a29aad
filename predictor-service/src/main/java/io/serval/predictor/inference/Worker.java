package io.serval.predictor.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.serval.predictor.model.ModelSignature;
import io.serval.predictor.model.OnnxTypes;
import io.serval.predictor.model.TensorSpec;
import io.serval.v2.Datatype;
import io.serval.v2.RawTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs batches on one ONNX Runtime session. Not thread-safe: one thread owns a worker. Input bytes
 * are copied once, from the request into a direct buffer this worker keeps and reuses, which ONNX
 * Runtime reads in place.
 */
final class Worker implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelSignature sig;
  private final ByteBuffer[] buffers;
  private final Set<String> allOutputNames;
  // The phases of the last run, read by the engine after run() returns (same thread).
  private long inputNanos;
  private long inferNanos;
  private long outputNanos;

  Worker(OrtEnvironment env, OrtSession session, ModelSignature sig) {
    this.env = env;
    this.session = session;
    this.sig = sig;
    this.buffers = new ByteBuffer[sig.inputs().size()];
    this.allOutputNames = new LinkedHashSet<>();
    for (TensorSpec s : sig.outputs()) {
      allOutputNames.add(s.name());
    }
  }

  /**
   * Runs the tasks as one model call, joined along dimension 0 when there is more than one.
   *
   * @param tasks share datatypes, non-batch dimensions and requested outputs
   * @return each task's outputs, in task order
   */
  List<List<RawTensor>> run(List<InferenceTask> tasks) throws OrtException {
    int n = tasks.size();
    InferenceTask first = tasks.get(0);
    int totalRows = 0;
    for (InferenceTask t : tasks) {
      totalRows += t.rows();
    }
    List<TensorSpec> inputs = sig.inputs();
    Map<String, OnnxTensor> feed = new HashMap<>(inputs.size() * 2);
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < inputs.size(); i++) {
        long[] shape = first.inputs().get(i).shape();
        if (n > 1) {
          shape = shape.clone();
          shape[0] = totalRows;
        }
        feed.put(inputs.get(i).name(), tensor(i, inputs.get(i), tasks, shape));
      }
      int[] outputs = first.outputs();
      long t1 = System.nanoTime();
      try (OrtSession.Result result = session.run(feed, outputNames(outputs))) {
        long t2 = System.nanoTime();
        List<List<RawTensor>> out = collect(result, outputs, tasks, totalRows);
        inputNanos = t1 - t0;
        inferNanos = t2 - t1;
        outputNanos = System.nanoTime() - t2;
        return out;
      }
    } finally {
      for (OnnxTensor t : feed.values()) {
        t.close();
      }
    }
  }

  /** Time the last successful run spent building input tensors. */
  long inputNanos() {
    return inputNanos;
  }

  /** Time the last successful run spent in the model. */
  long inferNanos() {
    return inferNanos;
  }

  /** Time the last successful run spent reading outputs. */
  long outputNanos() {
    return outputNanos;
  }

  private Set<String> outputNames(int[] outputs) {
    if (outputs.length == allOutputNames.size()) {
      return allOutputNames;
    }
    Set<String> names = new LinkedHashSet<>();
    for (int o : outputs) {
      names.add(sig.outputs().get(o).name());
    }
    return names;
  }

  private OnnxTensor tensor(int i, TensorSpec spec, List<InferenceTask> tasks, long[] shape)
      throws OrtException {
    Datatype type = spec.datatype();
    if (type == Datatype.BYTES) {
      return OnnxTensor.createTensor(env, strings(i, spec, tasks), shape);
    }
    long bytes = 0;
    for (InferenceTask t : tasks) {
      bytes += t.inputs().get(i).data().remaining();
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "input '"
              + spec.name()
              + "' of this batch needs "
              + bytes
              + " bytes, over the 2 GiB a buffer can hold");
    }
    ByteBuffer buf = buffer(i, (int) bytes);
    for (InferenceTask t : tasks) {
      buf.put(t.inputs().get(i).data().duplicate());
    }
    buf.flip();
    OnnxJavaType javaType = OnnxTypes.javaType(type);
    if (javaType == null) {
      return UnsignedTensors.create(env, buf, shape, OnnxTypes.unsignedOnnxType(type));
    }
    return OnnxTensor.createTensor(env, buf, shape, javaType);
  }

  private static String[] strings(int i, TensorSpec spec, List<InferenceTask> tasks) {
    if (tasks.size() == 1) {
      RawTensor t = tasks.get(0).inputs().get(i);
      return StringTensors.decode(t.data(), (int) t.elementCount(), "input '" + spec.name() + "'");
    }
    List<String> all = new ArrayList<>();
    for (InferenceTask task : tasks) {
      RawTensor t = task.inputs().get(i);
      for (String s :
          StringTensors.decode(t.data(), (int) t.elementCount(), "input '" + spec.name() + "'")) {
        all.add(s);
      }
    }
    return all.toArray(String[]::new);
  }

  /** This worker's direct buffer for input i, grown (doubling) when too small. */
  private ByteBuffer buffer(int i, int bytes) {
    ByteBuffer b = buffers[i];
    if (b == null || b.capacity() < bytes) {
      int cap =
          Math.max(
              bytes, b == null ? 256 : (int) Math.min(Integer.MAX_VALUE - 8, 2L * b.capacity()));
      b = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
      buffers[i] = b;
    }
    b.clear();
    return b;
  }

  private List<List<RawTensor>> collect(
      OrtSession.Result result, int[] outputs, List<InferenceTask> tasks, int totalRows)
      throws OrtException {
    int n = tasks.size();
    List<List<RawTensor>> perTask = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      perTask.add(new ArrayList<>(outputs.length));
    }
    for (int o : outputs) {
      TensorSpec spec = sig.outputs().get(o);
      OnnxValue value =
          result
              .get(spec.name())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the model returned no output '" + spec.name() + "'"));
      if (!(value instanceof OnnxTensor tensor)) {
        throw new IllegalStateException("output '" + spec.name() + "' is not a tensor");
      }
      long[] shape = tensor.getInfo().getShape();
      ByteBuffer data =
          spec.datatype() == Datatype.BYTES
              ? StringTensors.encode(
                  StringTensors.flatten(tensor.getValue(), (int) tensor.getInfo().getNumElements()))
              : tensor.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (n == 1) {
        perTask.get(0).add(new RawTensor(spec.name(), spec.datatype(), shape, data));
      } else {
        split(spec, shape, data, tasks, totalRows, perTask);
      }
    }
    return perTask;
  }

  private static void split(
      TensorSpec spec,
      long[] shape,
      ByteBuffer data,
      List<InferenceTask> tasks,
      int totalRows,
      List<List<RawTensor>> perTask) {
    if (shape.length == 0 || shape[0] != totalRows) {
      throw new IllegalStateException(
          "output '"
              + spec.name()
              + "' has shape "
              + TensorSpec.format(shape)
              + " for a batch of "
              + totalRows
              + " rows; its dimension 0 does not follow the batch");
    }
    long elementsPerRow = 1;
    for (int d = 1; d < shape.length; d++) {
      elementsPerRow *= shape[d];
    }
    int offset = 0;
    for (int k = 0; k < tasks.size(); k++) {
      int rows = tasks.get(k).rows();
      long[] s = shape.clone();
      s[0] = rows;
      int len;
      if (spec.datatype() == Datatype.BYTES) {
        len = 0;
        long elements = rows * elementsPerRow;
        for (long e = 0; e < elements; e++) {
          int l = data.getInt(offset + len);
          len += 4 + l;
        }
      } else {
        len = (int) (rows * elementsPerRow * spec.datatype().byteSize());
      }
      ByteBuffer slice = data.slice(offset, len).order(ByteOrder.LITTLE_ENDIAN);
      perTask.get(k).add(new RawTensor(spec.name(), spec.datatype(), s, slice));
      offset += len;
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
