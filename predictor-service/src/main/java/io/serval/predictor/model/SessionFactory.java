package io.serval.predictor.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.serval.v2.Datatype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Creates ONNX Runtime sessions for one model file, all with the same options: {@code
 * threadsPerWorker} intra-op threads that block instead of spinning, one inter-op thread,
 * sequential execution, all graph optimisations, and the CUDA provider when a GPU is asked for.
 */
public final class SessionFactory {
  /** ONNX Runtime session config key: whether idle intra-op threads busy-wait for work. */
  public static final String ALLOW_SPINNING = "session.intra_op.allow_spinning";

  private final OrtEnvironment env;
  private final Path modelFile;
  private final int threads;
  private final int gpu;

  /**
   * @throws ModelLoadException when a GPU is asked for and ONNX Runtime has no CUDA provider
   */
  public SessionFactory(OrtEnvironment env, Path modelFile, int threadsPerWorker, int gpu) {
    this.env = env;
    this.modelFile = modelFile;
    this.threads = threadsPerWorker;
    this.gpu = gpu;
    if (gpu > 0) {
      EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
      if (!available.contains(OrtProvider.CUDA)) {
        throw new ModelLoadException(
            "serval.predictor.gpu: "
                + gpu
                + " requested but this ONNX Runtime has no CUDA execution provider (available: "
                + available
                + "); build with -Pgpu (onnxruntime_gpu) on a machine with an NVIDIA GPU and CUDA 12");
      }
    }
  }

  public OrtEnvironment environment() {
    return env;
  }

  public OrtSession open() {
    try (OrtSession.SessionOptions opts = options(threads, gpu)) {
      return env.createSession(modelFile.toString(), opts);
    } catch (OrtException e) {
      throw new ModelLoadException(
          "ONNX Runtime could not load model " + modelFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * The options every session of a predictor gets; the caller closes them.
   *
   * <p>Intra-op threads do not spin: a spinning thread busy-waits at each of the model's parallel
   * regions and between runs, taking a core from the event loop that feeds the workers, from the
   * other workers, and from anything else on the machine (or from the pod's CPU quota). Measured
   * with MiniLM, 1 worker x 2 threads on two shared cores: spinning doubled the CPU per request
   * (docs/benchmarks.md).
   */
  static OrtSession.SessionOptions options(int threads, int gpu) throws OrtException {
    OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
    try {
      opts.setIntraOpNumThreads(threads);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      opts.addConfigEntry(ALLOW_SPINNING, "0");
      if (gpu > 0) {
        opts.addCUDA(0);
      }
      return opts;
    } catch (OrtException | RuntimeException e) {
      opts.close();
      throw e;
    }
  }

  /**
   * Reads the V2 view of a session's inputs and outputs.
   *
   * @throws ModelLoadException for non-tensor values or element types V2 cannot carry
   */
  public static ModelSignature signature(OrtSession session) {
    try {
      return new ModelSignature(
          specs("input", session.getInputInfo()), specs("output", session.getOutputInfo()));
    } catch (OrtException e) {
      throw new ModelLoadException("could not read the model's inputs and outputs: " + e, e);
    }
  }

  private static List<TensorSpec> specs(String kind, Map<String, NodeInfo> infos) {
    List<TensorSpec> out = new ArrayList<>(infos.size());
    for (NodeInfo node : infos.values()) {
      if (!(node.getInfo() instanceof TensorInfo t)) {
        throw new ModelLoadException(
            kind
                + " '"
                + node.getName()
                + "' is "
                + node.getInfo()
                + "; only tensors are supported");
      }
      Datatype datatype = OnnxTypes.toV2(t.onnxType);
      if (datatype == null) {
        throw new ModelLoadException(
            kind
                + " '"
                + node.getName()
                + "' has element type "
                + t.onnxType
                + ", which V2 cannot carry");
      }
      long[] shape = t.getShape().clone();
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] < 0) {
          shape[i] = -1;
        }
      }
      out.add(new TensorSpec(node.getName(), datatype, shape));
    }
    return out;
  }
}
