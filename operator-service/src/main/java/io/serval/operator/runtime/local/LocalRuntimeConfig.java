package io.serval.operator.runtime.local;

import io.serval.operator.spec.ReplicaCap;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The local runtime (prefix serval.operator.local): each replica is a predictor JVM. */
@ConfigMapping(prefix = "serval.operator.local")
public interface LocalRuntimeConfig {

  /** The predictor's Quarkus runner jar. */
  @WithDefault("predictor-service/target/quarkus-app/quarkus-run.jar")
  Path predictorJar();

  /** The java launcher replicas run with. */
  @WithDefault("${java.home}/bin/java")
  String java();

  /** JVM options of each replica; ONNX Runtime needs native access and java.lang opened. */
  @WithDefault("--enable-native-access=ALL-UNNAMED,--add-opens=java.base/java.lang=ALL-UNNAMED")
  List<String> jvmArgs();

  /**
   * Start replicas with what the predictor's build prepared beside predictor-jar to cut their start
   * (docs/benchmarks.md, "Replica cold start"): the JDK's AOT cache {@code app.aot} (-XX:AOTCache,
   * when the replicas' java is 25 or newer) and ONNX Runtime's extracted native libraries {@code
   * onnxruntime-native/} (-Donnxruntime.native.path). Each only when present and not already set in
   * jvm-args; false starts replicas with jvm-args alone. Ignored when command is set.
   */
  @WithDefault("true")
  boolean fastStart();

  /**
   * Replaces the whole launch command (java, options, jar); the replica's settings then arrive only
   * as environment variables (SERVAL_PREDICTOR_MODEL_URI, QUARKUS_HTTP_PORT, ...).
   */
  Optional<List<String>> command();

  /** Working directory of replicas: relative file: model URIs resolve against it. */
  @WithDefault(".")
  Path workingDir();

  /** Interface replicas listen on and routers dial. */
  @WithDefault("127.0.0.1")
  String host();

  /** How often replicas are checked and reconciled. */
  @WithDefault("500ms")
  Duration tick();

  /** Wait before the first restart of a dead replica; doubles per death up to the max. */
  @WithDefault("1s")
  Duration restartBackoffInitial();

  /** Longest wait between restarts of a crash-looping replica. */
  @WithDefault("30s")
  Duration restartBackoffMax();

  /** Ready this long, a replica's death count starts again from zero. */
  @WithDefault("60s")
  Duration stableAfter();

  /** Between removing a replica from routes and asking it to stop, so routers stop sending. */
  @WithDefault("1s")
  Duration drainDelay();

  /** Between asking a replica to stop (SIGTERM) and killing it. */
  @WithDefault("10s")
  Duration stopGrace();

  /** Timeout of one readiness probe (GET /v2/health/ready). */
  @WithDefault("1s")
  Duration healthTimeout();

  /**
   * Stop replicas when the operator shuts down cleanly. When false they keep serving and the next
   * operator re-adopts them (as it always does after a crash).
   */
  @WithDefault("true")
  boolean stopReplicasOnShutdown();

  /**
   * Largest minReplicas, maxReplicas and initReplicas of one API (each replica is a JVM); a deploy
   * over it is refused, and a spec without maxReplicas gets this instead of 100.
   */
  @WithDefault("16")
  int maxReplicasPerApi();

  /** Largest sum of maxReplicas over all APIs; a deploy that would pass it is refused. */
  @WithDefault("64")
  int maxReplicas();

  /**
   * Directories {@code file:} model URIs may point into (symbolic links and {@code ..} resolved),
   * handed to every replica as serval.predictor.model-fetch.file-roots. Relative ones resolve
   * against the working directory. Default: the working directory.
   */
  Optional<List<Path>> modelRoots();

  /**
   * Hosts (names, IPs or CIDR blocks) replicas may download models from although their address is
   * loopback, link-local or cloud metadata (serval.predictor.model-fetch.allowed-hosts).
   */
  Optional<List<String>> modelAllowedHosts();

  /** The cap {@link #maxReplicasPerApi} and {@link #maxReplicas} set. */
  default ReplicaCap replicaCap() {
    return new ReplicaCap(
        "local",
        maxReplicasPerApi(),
        "serval.operator.local.max-replicas-per-api",
        maxReplicas(),
        "serval.operator.local.max-replicas");
  }
}
