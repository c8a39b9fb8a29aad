package io.serval.predictor.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.serval.objects.ObjectStores;
import io.serval.predictor.batching.BatchingPolicy;
import io.serval.predictor.config.ConfigCheck;
import io.serval.predictor.config.PredictorConfig;
import io.serval.predictor.config.S3Config;
import io.serval.predictor.inference.EngineSettings;
import io.serval.predictor.inference.InferenceEngine;
import io.serval.predictor.inference.TaskTracer;
import io.serval.predictor.metrics.PredictorMetrics;
import io.serval.predictor.model.ModelFetcher;
import io.serval.predictor.model.NativeRuntimePreload;
import io.serval.predictor.model.SessionFactory;
import io.serval.predictor.serving.ServedModel;
import io.serval.predictor.serving.V2Inference;
import io.serval.predictor.tracing.OtelTaskTracer;
import io.serval.proto.inference.ModelStatisticsResponse;
import io.serval.v2.V2Exception;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads the configured model at start (fetch, sessions, warm-up) and drains it on shutdown. Start
 * fails, and the process with it, when the configuration or the model is unusable.
 */
@Singleton
public class PredictorRuntime {
  private static final Logger LOG = Logger.getLogger(PredictorRuntime.class);

  @Inject PredictorConfig config;
  @Inject S3Config s3;
  @Inject MeterRegistry registry;
  @Inject OpenTelemetry otel;

  @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false")
  boolean tracingDisabled;

  /** Set by the operator on the replicas it starts; names the replica on its spans. */
  @ConfigProperty(name = "serval.replica.id")
  Optional<String> replicaId;

  private volatile InferenceEngine engine;
  private volatile V2Inference v2;
  private volatile PredictorMetrics metrics;

  /**
   * Runs on the main thread at start. The servers may already listen (gRPC starts first): until
   * this returns they answer not ready / UNAVAILABLE, and no request thread ever loads the model.
   */
  void start(@Observes StartupEvent event) {
    List<String> problems = new ArrayList<>(ConfigCheck.problems(config));
    problems.addAll(ConfigCheck.s3Problems(s3));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "invalid predictor configuration: " + String.join("; ", problems));
    }
    Instant loadStarted = Instant.now();
    long t0 = System.nanoTime();
    PredictorConfig.Model m = config.model();
    Path file;
    // The S3 client (if an s3:// model needs one) lives only as long as the fetch.
    try (ObjectStores objects = new ObjectStores(ConfigCheck.s3Settings(s3, m.downloadTimeout()))) {
      file =
          new ModelFetcher(m.cacheDir(), ConfigCheck.fetchPolicy(config), objects)
              .fetch(m.uri(), m.sha256());
    }
    long fetched = System.nanoTime();
    // loaded on its own thread since main (PredictorMain): usually done by now
    var environment = NativeRuntimePreload.await();
    long ortReady = System.nanoTime();
    SessionFactory sessions =
        new SessionFactory(environment, file, config.threadsPerWorker(), config.gpu());
    PredictorMetrics metrics = new PredictorMetrics(registry, m.name(), m.version().orElse(""));
    PredictorConfig.Batching b = config.batching();
    InferenceEngine started =
        InferenceEngine.start(
            new EngineSettings(
                m.name(),
                config.workers(),
                new BatchingPolicy(b.maxBatchSize(), b.maxQueueDelay(), b.maxQueueSize()),
                config.warmup(),
                config.warmupRequest().map(ConfigCheck::warmupRequest)),
            sessions,
            metrics,
            // Off: no span, no context capture, nothing per request.
            tracingDisabled
                ? TaskTracer.NONE
                : new OtelTaskTracer(
                    otel, m.name(), m.version().orElse(""), replicaId.orElse(null)));
    long engineStarted = System.nanoTime();
    metrics.bind(started);
    this.metrics = metrics;
    engine = started;
    v2 = new V2Inference(new ServedModel(m.name(), m.version()), started, metrics);
    long bound = System.nanoTime();
    LOG.infof(
        "Model '%s' loaded from %s in %d ms (%d workers x %d threads, max batch size %d%s): %s",
        m.name(),
        file,
        (System.nanoTime() - t0) / 1_000_000,
        config.workers(),
        config.threadsPerWorker(),
        started.maxBatchSize(),
        config.gpu() > 0 ? ", CUDA" : "",
        started.signature());
    LOG.info(
        new StartupReport(
                ProcessHandle.current().info().startInstant(),
                loadStarted,
                NativeRuntimePreload.preloadNanos(),
                ortReady - fetched,
                fetched - t0,
                engineStarted - ortReady - started.warmupNanos(),
                started.warmupNanos(),
                bound - engineStarted)
            .line(m.name(), Instant.now()));
  }

  void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
    InferenceEngine current = engine;
    if (current != null) {
      LOG.infof("Draining model '%s' (grace %s)", config.model().name(), config.shutdownGrace());
      current.shutdown(config.shutdownGrace());
    }
  }

  /** The V2 operations, or null while the model is loading. */
  public V2Inference v2() {
    return v2;
  }

  /**
   * @throws V2Exception UNAVAILABLE while the model is still loading
   */
  public V2Inference v2OrUnavailable() {
    V2Inference current = v2;
    if (current == null) {
      throw unavailableWhileLoading();
    }
    return current;
  }

  public V2Exception unavailableWhileLoading() {
    return V2Exception.unavailable(
        "model '"
            + config.model().name()
            + "' is still loading; retry when /v2/health/ready answers 200");
  }

  /**
   * Triton's ModelStatistics of the served model.
   *
   * @param name empty for every model (the one served)
   * @param version empty for every version
   * @throws V2Exception NOT_FOUND for another model or version; UNAVAILABLE while loading
   */
  public ModelStatisticsResponse statistics(String name, String version) {
    V2Inference current = v2OrUnavailable();
    ServedModel model = current.model();
    if (!name.isEmpty() || !version.isEmpty()) {
      model.check(name.isEmpty() ? model.name() : name, version);
    }
    return ModelStatisticsResponse.newBuilder()
        .addModelStats(metrics.statistics(model.name(), model.version().orElse("")))
        .build();
  }

  public InferenceEngine engine() {
    return engine;
  }
}
