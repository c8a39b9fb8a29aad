package io.serval.predictor.runtime;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.serval.predictor.model.NativeRuntimePreload;

/**
 * The predictor's entry point: starts loading ONNX Runtime's native library on a thread of its own
 * before Quarkus starts, so that the two overlap (docs/benchmarks.md, "Replica cold start"); the
 * model load at start-up joins it.
 */
@QuarkusMain
public final class PredictorMain {
  private PredictorMain() {}

  public static void main(String... args) {
    NativeRuntimePreload.start();
    Quarkus.run(args);
  }
}
