package io.serval.operator.runtime.kubernetes.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes runtime (prefix serval.operator.kubernetes): specs are custom resources, each
 * revision a Deployment and a Service in one namespace.
 */
@ConfigMapping(prefix = "serval.operator.kubernetes")
public interface KubernetesRuntimeConfig {

  /** The namespace watched and written; default: the client's (the pod's own namespace). */
  Optional<String> namespace();

  /** The predictor image every revision runs. */
  @WithDefault("ghcr.io/serval/predictor:0.1.0")
  String predictorImage();

  /** Pull policy of the predictor image. */
  @WithDefault("IfNotPresent")
  String imagePullPolicy();

  /**
   * Names of the image pull secrets (kubernetes.io/dockerconfigjson) put on every predictor pod,
   * for a private or colocated registry; the chart sets them from {@code imagePullSecrets}. None:
   * the service account's.
   */
  Optional<List<String>> imagePullSecrets();

  /** Service account of predictor pods; default: the namespace's default. */
  Optional<String> predictorServiceAccount();

  /**
   * OTLP endpoint the predictor pods send their spans to (their
   * QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT), e.g. {@code http://otel-collector.monitoring:4317}; none:
   * predictors trace nothing. The chart sets it from {@code tracing.otlpEndpoint}
   * (docs/observability.md).
   */
  Optional<String> predictorOtlpEndpoint();

  /**
   * Name of a Secret (in the operator's namespace) whose keys become every predictor pod's
   * environment (envFrom), for {@code s3://} model URIs: {@code AWS_ACCESS_KEY_ID}, {@code
   * AWS_SECRET_ACCESS_KEY}, and optionally {@code SERVAL_S3_ENDPOINT}, {@code SERVAL_S3_REGION},
   * {@code SERVAL_S3_PATH_STYLE} (docs/object-storage.md). None: the predictors get no S3 settings,
   * and the AWS SDK finds credentials on its own (web identity of the service account). The chart
   * sets it from {@code objectStorage.secretName}.
   */
  Optional<String> predictorS3Secret();

  /** Container port of the predictor's REST API and health endpoints. */
  @WithDefault("8000")
  int httpPort();

  /** Container port of the predictor's V2 gRPC server, the one routers dial. */
  @WithDefault("8001")
  int grpcPort();

  /**
   * How long a stopping pod keeps serving (preStop) so that routers drop it from their routes
   * before it refuses requests.
   */
  @WithDefault("5s")
  Duration drainDelay();

  /** Grace period of predictor pods, covering the drain and in-flight requests. */
  @WithDefault("30s")
  Duration terminationGracePeriod();

  /** Node label naming a node's group; compute.nodeGroups select by it. */
  @WithDefault("serval.io/node-group")
  String nodeGroupLabel();

  /**
   * Priority (1-100) of each node group: the weight of its preferred affinity, so that higher
   * groups (spot) are tried first. Groups not listed get weights by their order in the spec.
   */
  Map<String, Integer> nodeGroupPriority();

  /** Full re-list of every watched resource, repairing whatever a missed event left behind. */
  @WithDefault("60s")
  Duration resync();

  /** How often the desired state is compared with the cluster even when nothing happened. */
  @WithDefault("10s")
  Duration reconcileInterval();

  /** Only one operator replica acts at a time. */
  LeaderElection leaderElection();

  interface LeaderElection {
    /** Off only for a single operator replica (tests, development). */
    @WithDefault("true")
    boolean enabled();

    /** Name of the coordination.k8s.io Lease. */
    @WithDefault("serval-operator")
    String leaseName();

    /** This replica's identity in the Lease; default: the pod name (HOSTNAME). */
    Optional<String> identity();

    /** How long a Lease is held without renewal before another replica may take it. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it stops acting. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** Between attempts to take or renew the Lease. */
    @WithDefault("2s")
    Duration retryPeriod();
  }
}
