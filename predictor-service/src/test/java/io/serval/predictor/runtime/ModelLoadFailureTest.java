package io.serval.predictor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.serval.objects.S3Settings;
import io.serval.objects.testing.S3ProxyServer;
import io.serval.predictor.config.PredictorConfig;
import io.serval.predictor.config.S3Config;
import io.serval.predictor.model.ModelLoadException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A predictor whose s3:// model cannot be fetched fails its start with one log line that names the
 * object and what to check (the line the operator puts into the API's status), and no credential.
 */
class ModelLoadFailureTest {

  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

  @TempDir Path dir;
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Logger log = Logger.getLogger(PredictorRuntime.class.getName());
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logged.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    log.addHandler(capture);
    S3.createBucket("models");
  }

  @AfterEach
  void stopListening() {
    log.removeHandler(capture);
  }

  private PredictorRuntime runtime(String uri, S3Settings s3) {
    Map<String, String> values =
        new java.util.HashMap<>(
            Map.of(
                "serval.predictor.model.uri", uri,
                "serval.predictor.model.cache-dir", dir.resolve("cache").toString(),
                "serval.s3.endpoint", s3.endpoint().orElseThrow().toString(),
                "serval.s3.path-style", "true",
                "serval.s3.access-key-id-file", s3.accessKeyIdFile().orElseThrow().toString(),
                "serval.s3.secret-access-key-file",
                    s3.secretAccessKeyFile().orElseThrow().toString()));
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultSources()
            .withConverter(Duration.class, 100, new DurationConverter())
            .withConverter(MemorySize.class, 100, new MemorySizeConverter())
            .withDefaultValues(values)
            .withMapping(PredictorConfig.class)
            .withMapping(S3Config.class)
            .build();
    PredictorRuntime runtime = new PredictorRuntime();
    runtime.config = config.getConfigMapping(PredictorConfig.class);
    runtime.s3 = config.getConfigMapping(S3Config.class);
    return runtime;
  }

  @Test
  void aMissingKeyFailsTheStartWithOneClearLine() {
    PredictorRuntime runtime =
        runtime("s3://models/absent.onnx", S3.settings(dir.resolve("secrets")));

    assertThatThrownBy(() -> runtime.start(null)).isInstanceOf(ModelLoadException.class);
    assertThat(logged)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "Model load failed: could not fetch model from s3://models/absent.onnx:")
                    .contains("no such key"));
  }

  @Test
  void deniedAccessFailsTheStartWithoutShowingTheSecret() throws Exception {
    S3Settings right = S3.settings(dir.resolve("secrets"));
    Path wrong = Files.writeString(dir.resolve("wrong"), "a-wrong-secret");
    PredictorRuntime runtime =
        runtime(
            "s3://models/m.onnx", right.withKeyFiles(right.accessKeyIdFile().orElseThrow(), wrong));

    assertThatThrownBy(() -> runtime.start(null)).isInstanceOf(ModelLoadException.class);
    assertThat(logged)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("Model load failed: could not fetch model from s3://models/m.onnx")
                    .contains("access denied")
                    .doesNotContain("a-wrong-secret")
                    .doesNotContain(S3ProxyServer.SECRET_ACCESS_KEY));
  }
}
