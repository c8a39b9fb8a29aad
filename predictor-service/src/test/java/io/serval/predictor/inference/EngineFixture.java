package io.serval.predictor.inference;

import ai.onnxruntime.OrtEnvironment;
import io.serval.predictor.batching.BatchingPolicy;
import io.serval.predictor.model.SessionFactory;
import io.serval.testmodels.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Starts engines over TestModels files, without Quarkus. */
final class EngineFixture {
  private EngineFixture() {}

  static InferenceEngine start(
      Path dir,
      String file,
      byte[] model,
      int workers,
      BatchingPolicy policy,
      InferenceMetrics metrics) {
    Path path = TestModels.write(dir, file, model);
    SessionFactory sessions = new SessionFactory(OrtEnvironment.getEnvironment(), path, 1, 0);
    return InferenceEngine.start(new EngineSettings("m", workers, policy, true), sessions, metrics);
  }

  /** One worker, no batching, warm-up with {@code warmupRequest} (JSON) when given. */
  static InferenceEngine start(
      Path dir,
      String file,
      byte[] model,
      Optional<byte[]> warmupRequest,
      InferenceMetrics metrics) {
    Path path = TestModels.write(dir, file, model);
    SessionFactory sessions = new SessionFactory(OrtEnvironment.getEnvironment(), path, 1, 0);
    return InferenceEngine.start(
        new EngineSettings("m", 1, new BatchingPolicy(1, Duration.ZERO, 64), true, warmupRequest),
        sessions,
        metrics);
  }

  static InferenceEngine start(Path dir, String file, byte[] model) {
    return start(
        dir, file, model, 1, new BatchingPolicy(1, Duration.ZERO, 64), InferenceMetrics.NONE);
  }
}
