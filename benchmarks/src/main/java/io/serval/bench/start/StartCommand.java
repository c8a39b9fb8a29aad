package io.serval.bench.start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of one replica as the operator's local runtime builds it (PredictorLaunch with
 * the spec defaults: 1 worker x 1 thread, batching off, warm-up on with synthetic inputs), and the
 * fast-start options of its FastStartFiles when the variant asks for them.
 */
final class StartCommand {
  /** LocalRuntimeConfig.jvmArgs's default. */
  static final List<String> LOCAL_RUNTIME_JVM_ARGS =
      List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED");

  private StartCommand() {}

  static List<String> of(
      String java,
      StartVariant v,
      Path model,
      int httpPort,
      int grpcPort,
      int javaFeature,
      List<String> extraJvmArgs) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("serval.predictor.model.uri", model.toUri().toString());
    props.put("serval.predictor.model.name", "minilm");
    props.put("serval.predictor.model.version", "1");
    props.put("serval.predictor.model-fetch.file-roots", model.getParent().toString());
    props.put("serval.predictor.workers", "1");
    props.put("serval.predictor.threads-per-worker", "1");
    props.put("serval.predictor.gpu", "0");
    props.put("serval.predictor.batching.max-batch-size", "1");
    props.put("serval.predictor.batching.max-queue-delay", "PT0.002S");
    props.put("serval.predictor.batching.max-queue-size", "256");
    props.put("quarkus.http.host", "127.0.0.1");
    props.put("quarkus.http.port", Integer.toString(httpPort));
    props.put("quarkus.grpc.server.host", "127.0.0.1");
    props.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
    props.put("serval.replica.id", "minilm-" + v.name() + "-0");
    props.putAll(v.settings());

    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(LOCAL_RUNTIME_JVM_ARGS);
    if (v.fast()) {
      Path dir = v.jar().toAbsolutePath().getParent();
      Path cache = dir.resolve("app.aot");
      if (javaFeature >= 25 && Files.isRegularFile(cache)) {
        cmd.add("-XX:AOTCache=" + cache);
      }
      Path nativeDir = dir.resolve("onnxruntime-native");
      if (Files.isDirectory(nativeDir)) {
        cmd.add("-Donnxruntime.native.path=" + nativeDir);
      }
    }
    cmd.addAll(v.jvmOptions());
    cmd.addAll(extraJvmArgs);
    props.forEach((k, val) -> cmd.add("-D" + k + "=" + val));
    cmd.add("-jar");
    cmd.add(v.jar().toAbsolutePath().toString());
    return cmd;
  }
}
