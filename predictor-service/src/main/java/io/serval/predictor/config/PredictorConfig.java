package io.serval.predictor.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of one predictor process: the model it serves and how it runs it. */
@ConfigMapping(prefix = "serval.predictor")
public interface PredictorConfig {

  /** The model to load and serve. */
  Model model();

  /**
   * Executors running inference, each with its own ONNX Runtime session (Cortex's
   * processes_per_replica).
   */
  @WithDefault("1")
  int workers();

  /** Intra-op threads of each worker's session (Cortex's threads_per_process). */
  @WithDefault("1")
  int threadsPerWorker();

  /** GPUs to use; above 0 the sessions use the CUDA execution provider on device 0. */
  @WithDefault("0")
  int gpu();

  /** Dynamic batching. */
  Batching batching();

  /**
   * Largest request body (REST) or message (gRPC) accepted; larger ones get 413 /
   * RESOURCE_EXHAUSTED.
   */
  @WithDefault("64M")
  MemorySize maxRequestSize();

  /**
   * On shutdown, how long queued and running requests may take to finish before they are failed and
   * the sessions closed.
   */
  @WithDefault("10s")
  Duration shutdownGrace();

  /**
   * Run one inference on every session before reporting ready, so the first real request does not
   * pay for lazy initialisation: with {@link #warmupRequest()} when given, else on synthetic inputs
   * (ones, "1" for strings; dynamic dims = 1). A warm-up that fails is logged as a warning and the
   * model becomes ready anyway.
   */
  @WithDefault("true")
  boolean warmup();

  /**
   * The sample to warm up with (Triton's model_warmup): a V2 inference request body (the REST JSON
   * form), base64-encoded so that it passes through -D options and environment variables untouched
   * (no quoting, no ${...} expansion). The operator sets it from {@code spec.predictor.warmup}.
   */
  Optional<String> warmupRequest();

  /** Where the model comes from and what it is called. */
  interface Model {
    /** {@code file:/abs.onnx}, {@code file:relative.onnx} or {@code http(s)://...}. */
    String uri();

    /** The V2 model name this predictor serves. */
    @WithDefault("model")
    String name();

    /** Revision label reported as model_version and in the model's versions. */
    Optional<String> version();

    /** Expected SHA-256 (hex) of the model file; checked for downloads and local files. */
    Optional<String> sha256();

    /** Where downloaded models are cached. */
    @WithDefault("${user.home}/.cache/serval/models")
    Path cacheDir();

    /**
     * Bound on a whole model download: connect, redirects, headers and every byte of the body. A
     * server that stops sending fails the download when it passes.
     */
    @WithDefault("10m")
    Duration downloadTimeout();
  }

  /** What fetching the model may do (prefix serval.predictor.model-fetch). */
  ModelFetch modelFetch();

  /**
   * Limits on fetching the model. A model URI is chosen by whoever may deploy a spec, so by default
   * a download cannot reach the replica's loopback, link-local or cloud-metadata addresses, and a
   * {@code file:} URI cannot name a file outside the model roots.
   */
  interface ModelFetch {
    /** Largest model accepted: refused on its declared Content-Length and while streaming. */
    @WithDefault("4G")
    MemorySize maxSize();

    /** Redirects followed per download; each must stay on the same host. */
    @WithDefault("5")
    int maxRedirects();

    /**
     * Allow downloads from every address, loopback, link-local and cloud metadata included (a
     * trusted network, or development against a local model server).
     */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /**
     * Host names (exact, case-insensitive), IP addresses and CIDR blocks a download may reach even
     * when their address would be refused, e.g. {@code models.internal,127.0.0.1/32}.
     */
    Optional<List<String>> allowedHosts();

    /**
     * Directories {@code file:} model URIs may point into (after resolving symbolic links and
     * {@code ..}). Default: the working directory.
     */
    Optional<List<Path>> fileRoots();
  }

  /** Dynamic batcher settings (Triton's dynamic_batching). */
  interface Batching {
    /** Rows (sum of dimension 0) per batch; 1 turns batching off. */
    @WithDefault("1")
    int maxBatchSize();

    /** How long the oldest request of an incomplete batch waits for more requests. */
    @WithDefault("2ms")
    Duration maxQueueDelay();

    /** Requests that may wait for a worker; past it new requests are refused with 503. */
    @WithDefault("256")
    int maxQueueSize();
  }
}
