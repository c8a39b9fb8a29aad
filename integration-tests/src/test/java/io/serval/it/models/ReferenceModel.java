package io.serval.it.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.serval.it.client.Tensor;
import io.serval.it.client.V2Outputs;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime in this JVM, with the session options the predictor uses (one intra-op thread,
 * sequential, all optimizations), so that a full-precision model gives bit-identical outputs.
 */
public final class ReferenceModel implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  public ReferenceModel(Path file) {
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(file.toString(), opts);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  /** Runs the inputs; every output must be FP32. */
  public Map<String, V2Outputs.Output> run(List<Tensor> inputs) {
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (Tensor t : inputs) {
        feed.put(
            t.name(),
            t.fp32() != null
                ? OnnxTensor.createTensor(env, FloatBuffer.wrap(t.fp32()), t.shape())
                : OnnxTensor.createTensor(env, LongBuffer.wrap(t.int64()), t.shape()));
      }
      Map<String, V2Outputs.Output> out = new LinkedHashMap<>();
      try (OrtSession.Result r = session.run(feed)) {
        for (Map.Entry<String, OnnxValue> e : r) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          FloatBuffer fb = t.getFloatBuffer();
          float[] values = new float[fb.remaining()];
          fb.get(values);
          out.put(e.getKey(), new V2Outputs.Output(t.getInfo().getShape(), values));
        }
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("reference inference failed: " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
