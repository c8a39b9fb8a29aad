package io.serval.operator.runtime.kubernetes.desired;

import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.serval.operator.spec.BatchingSpec;
import io.serval.operator.spec.WarmupSample;
import io.serval.operator.state.RevisionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The predictor's settings as environment variables (SERVAL_PREDICTOR_..., the predictor contract's
 * keys in Quarkus's env form).
 */
public final class PredictorEnv {

  /** Where downloaded models go: an emptyDir, since the image's home may not be writable. */
  public static final String MODEL_CACHE_DIR = "/var/cache/serval/models";

  private PredictorEnv() {}

  public static List<EnvVar> of(RevisionRef ref, RevisionRecord revision, PodSettings pod) {
    List<EnvVar> env = new ArrayList<>();
    add(env, "SERVAL_PREDICTOR_MODEL_URI", revision.model().uri());
    add(env, "SERVAL_PREDICTOR_MODEL_NAME", ref.api());
    add(env, "SERVAL_PREDICTOR_MODEL_VERSION", ref.revision());
    if (revision.model().sha256() != null) {
      add(env, "SERVAL_PREDICTOR_MODEL_SHA256", revision.model().sha256());
    }
    add(env, "SERVAL_PREDICTOR_MODEL_CACHE_DIR", MODEL_CACHE_DIR);
    add(env, "SERVAL_PREDICTOR_WORKERS", revision.predictor().workers());
    add(env, "SERVAL_PREDICTOR_THREADS_PER_WORKER", revision.predictor().threadsPerWorker());
    add(env, "SERVAL_PREDICTOR_GPU", revision.compute().gpu());
    BatchingSpec b = revision.predictor().batching();
    add(env, "SERVAL_PREDICTOR_BATCHING_MAX_BATCH_SIZE", b.maxBatchSize());
    add(env, "SERVAL_PREDICTOR_BATCHING_MAX_QUEUE_DELAY", b.maxQueueDelay().toString());
    add(env, "SERVAL_PREDICTOR_BATCHING_MAX_QUEUE_SIZE", b.maxQueueSize());
    if (revision.predictor().warmup() != null) {
      add(
          env,
          "SERVAL_PREDICTOR_WARMUP_REQUEST",
          WarmupSample.predictorSetting(revision.predictor().warmup()));
    }
    add(env, "QUARKUS_HTTP_PORT", pod.httpPort());
    add(env, "QUARKUS_GRPC_SERVER_PORT", pod.grpcPort());
    // The one setting that turns a predictor's tracing on (docs/observability.md).
    pod.otlpEndpoint().ifPresent(e -> add(env, "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", e));
    env.add(
        new EnvVarBuilder()
            .withName("SERVAL_REPLICA_ID")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build());
    return env;
  }

  /**
   * The predictor's S3 settings and credentials ({@code s3://} models): every key of the configured
   * Secret as an environment variable, or nothing without one.
   */
  public static List<EnvFromSource> s3Secret(PodSettings pod) {
    return pod.s3Secret()
        .map(
            name ->
                List.of(
                    new EnvFromSourceBuilder()
                        .withNewSecretRef()
                        .withName(name)
                        .withOptional(false)
                        .endSecretRef()
                        .build()))
        .orElse(List.of());
  }

  private static void add(List<EnvVar> env, String name, Object value) {
    env.add(new EnvVar(name, String.valueOf(value), null));
  }
}
