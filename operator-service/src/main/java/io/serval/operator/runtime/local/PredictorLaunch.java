package io.serval.operator.runtime.local;

import io.serval.operator.spec.BatchingSpec;
import io.serval.operator.spec.ModelSpec;
import io.serval.operator.spec.PredictorSpec;
import io.serval.operator.spec.WarmupSample;
import io.serval.operator.state.RevisionRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command and environment of one predictor replica. Every setting (the predictor contract's
 * serval.predictor.* keys and the Quarkus ports) goes both as -D system property and as environment
 * variable, so a replaced launch command still receives it.
 */
public record PredictorLaunch(List<String> command, Map<String, String> environment) {

  /** The launch with the configured JVM options alone. */
  public static PredictorLaunch of(
      LocalSettings s,
      String api,
      RevisionRecord revision,
      String replicaId,
      int httpPort,
      int grpcPort) {
    return of(s, api, revision, replicaId, httpPort, grpcPort, FastStartFiles.NONE);
  }

  /**
   * The launch, with the options of {@code fast} after the configured ones (unless the launch
   * command is replaced, which then says everything).
   */
  public static PredictorLaunch of(
      LocalSettings s,
      String api,
      RevisionRecord revision,
      String replicaId,
      int httpPort,
      int grpcPort,
      FastStartFiles fast) {
    Map<String, String> props = new LinkedHashMap<>();
    ModelSpec model = revision.model();
    PredictorSpec predictor = revision.predictor();
    BatchingSpec batching = predictor.batching();
    props.put("serval.predictor.model.uri", model.uri());
    props.put("serval.predictor.model.name", api);
    props.put("serval.predictor.model.version", revision.id());
    if (model.sha256() != null) {
      props.put("serval.predictor.model.sha256", model.sha256());
    }
    // the replica enforces them: file: URIs only under the roots, downloads only from allowed hosts
    props.put(
        "serval.predictor.model-fetch.file-roots",
        String.join(",", s.absoluteModelRoots().stream().map(PredictorLaunch::listItem).toList()));
    if (!s.modelAllowedHosts().isEmpty()) {
      props.put(
          "serval.predictor.model-fetch.allowed-hosts", String.join(",", s.modelAllowedHosts()));
    }
    props.put("serval.predictor.workers", Integer.toString(predictor.workers()));
    props.put(
        "serval.predictor.threads-per-worker", Integer.toString(predictor.threadsPerWorker()));
    props.put("serval.predictor.gpu", Integer.toString(revision.compute().gpu()));
    props.put(
        "serval.predictor.batching.max-batch-size", Integer.toString(batching.maxBatchSize()));
    props.put("serval.predictor.batching.max-queue-delay", batching.maxQueueDelay().toString());
    props.put(
        "serval.predictor.batching.max-queue-size", Integer.toString(batching.maxQueueSize()));
    if (predictor.warmup() != null) {
      props.put(
          "serval.predictor.warmup-request", WarmupSample.predictorSetting(predictor.warmup()));
    }
    props.put("quarkus.http.host", s.host());
    props.put("quarkus.http.port", Integer.toString(httpPort));
    props.put("quarkus.grpc.server.host", s.host());
    props.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
    props.put("serval.replica.id", replicaId);

    List<String> command = new ArrayList<>();
    if (s.command().isPresent()) {
      command.addAll(s.command().get());
    } else {
      command.add(s.java());
      command.addAll(s.jvmArgs());
      command.addAll(fast.jvmOptions(s.jvmArgs()));
      props.forEach((k, v) -> command.add("-D" + k + "=" + v));
      command.add("-jar");
      command.add(s.predictorJar().toAbsolutePath().toString());
    }
    Map<String, String> env = new LinkedHashMap<>();
    props.forEach((k, v) -> env.put(envName(k), v));
    return new PredictorLaunch(List.copyOf(command), env);
  }

  /** One item of a MicroProfile Config list: its commas escaped. */
  static String listItem(Path p) {
    return p.toString().replace("\\", "\\\\").replace(",", "\\,");
  }

  /** MicroProfile Config's environment-variable form: upper case, other characters to '_'. */
  static String envName(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }
}
