package io.serval.bench.target;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.serval.bench.workload.InputTensor;
import io.serval.bench.workload.OutputTensor;
import io.serval.bench.workload.Workload;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ONNX Runtime sessions for a workload with the predictor's thread budget: one session per worker,
 * each with {@code threadsPerWorker} intra-op threads (not spinning) and a single inter-op thread,
 * as the predictor's sessions.
 */
public final class InProcessModel implements AutoCloseable {
  private final Workload workload;
  private final List<OrtSession> sessions = new ArrayList<>();
  private final Map<String, OnnxTensor> inputs = new HashMap<>();

  /** The request repeated along dimension 0, by row count (built once per size, then shared). */
  private final Map<Integer, Map<String, OnnxTensor>> batches = new ConcurrentHashMap<>();

  public InProcessModel(Workload workload, int workers, int threadsPerWorker) throws OrtException {
    this(workload, workers, threadsPerWorker, false);
  }

  /**
   * @param spinning let idle intra-op threads busy-wait, as ONNX Runtime does by default
   */
  public InProcessModel(Workload workload, int workers, int threadsPerWorker, boolean spinning)
      throws OrtException {
    this.workload = workload;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try {
      for (int i = 0; i < workers; i++) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
          // The same options as the predictor's SessionFactory, so that only serving differs.
          options.setIntraOpNumThreads(threadsPerWorker);
          options.setInterOpNumThreads(1);
          options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
          options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
          options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
          sessions.add(env.createSession(workload.modelFile().toString(), options));
        }
      }
      for (InputTensor input : workload.inputs()) {
        inputs.put(input.name(), input.toOnnx(env));
      }
    } catch (OrtException | RuntimeException e) {
      close();
      throw e;
    }
  }

  public Workload workload() {
    return workload;
  }

  int workers() {
    return sessions.size();
  }

  /** Runs the workload's request on one worker's session; inputs are only read, so shared. */
  void run(int worker) throws OrtException {
    try (OrtSession.Result ignored = sessions.get(worker).run(inputs)) {
      // Outputs are discarded: the in-process path measures inference alone.
    }
  }

  /**
   * Runs {@code rows} copies of the workload's request as one call on one worker's session: what
   * the model costs per request when a batcher joins them for free.
   */
  void runBatch(int worker, int rows) throws OrtException {
    if (rows == 1) {
      run(worker);
      return;
    }
    Map<String, OnnxTensor> feed = batches.computeIfAbsent(rows, this::repeated);
    try (OrtSession.Result ignored = sessions.get(worker).run(feed)) {
      // Outputs are discarded, as in run().
    }
  }

  private Map<String, OnnxTensor> repeated(int rows) {
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (InputTensor input : workload.inputs()) {
        feed.put(input.name(), input.repeated(rows).toOnnx(OrtEnvironment.getEnvironment()));
      }
    } catch (OrtException e) {
      feed.values().forEach(OnnxTensor::close);
      throw new IllegalStateException("cannot build a batch of " + rows + ": " + e.getMessage(), e);
    }
    return feed;
  }

  /** The expected output every other path is checked against. */
  public OutputTensor referenceOutput() throws OrtException {
    try (OrtSession.Result result = sessions.get(0).run(inputs)) {
      OnnxValue value =
          result
              .get(workload.outputName())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          workload.name() + " has no output " + workload.outputName()));
      OnnxTensor tensor = (OnnxTensor) value;
      FloatBuffer data = tensor.getFloatBuffer();
      float[] values = new float[data.remaining()];
      data.get(values);
      return new OutputTensor(workload.outputName(), tensor.getInfo().getShape(), values);
    }
  }

  @Override
  public void close() {
    inputs.values().forEach(OnnxTensor::close);
    batches.values().forEach(feed -> feed.values().forEach(OnnxTensor::close));
    for (OrtSession session : sessions) {
      try {
        session.close();
      } catch (OrtException e) {
        System.err.println("WARN closing session of " + workload.name() + ": " + e.getMessage());
      }
    }
  }
}
