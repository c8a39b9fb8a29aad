package io.serval.predictor.api;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a model in-process with plain ONNX Runtime, for comparing the service's answers. */
final class OrtReference {
  private OrtReference() {}

  static float[] runFp32(Path model, String output, Map<String, float[]> inputs, long[] shape)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
      for (var e : inputs.entrySet()) {
        feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shape));
      }
      try (OrtSession.Result r = s.run(feed)) {
        return ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer().array();
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  static float[] runInt64(Path model, String output, Map<String, long[]> inputs, long[] shape)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
      for (var e : inputs.entrySet()) {
        feed.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(e.getValue()), shape));
      }
      try (OrtSession.Result r = s.run(feed)) {
        return ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer().array();
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }
}
