package io.serval.operator.runtime.local;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.operator.control.DeployPlanner;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalPiecesTest {

  @Test
  void backoffDoublesUpToTheMax() {
    RestartBackoff b = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(b.delay(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void launchPassesTheContractKeysAsPropertiesAndEnvironment() {
    ApiRecord a =
        new DeployPlanner(true)
            .plan(
                new SpecParser()
                    .parse(
                        api(
                            "minilm",
                            "predictor: {workers: 2, threadsPerWorker: 3, batching: {maxBatchSize:"
                                + " 16, maxQueueDelay: 2ms, maxQueueSize: 64}}")),
                Map.of(),
                Map.of(),
                Instant.now())
            .getFirst()
            .api();
    LocalSettings s =
        new LocalSettings(
            Path.of("/opt/predictor.jar"),
            "/jdk/bin/java",
            List.of("--enable-native-access=ALL-UNNAMED"),
            Optional.empty(),
            Path.of("."),
            "127.0.0.1",
            Duration.ofMillis(500),
            new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            true);
    PredictorLaunch l =
        PredictorLaunch.of(s, "minilm", a.history().getFirst(), "minilm-x-0", 8000, 8001);
    assertThat(l.command().getFirst()).isEqualTo("/jdk/bin/java");
    assertThat(l.command().get(1)).isEqualTo("--enable-native-access=ALL-UNNAMED");
    assertThat(l.command())
        .contains(
            "-Dserval.predictor.model.uri=file:models/m.onnx",
            "-Dserval.predictor.model.name=minilm",
            "-Dserval.predictor.model.version=" + a.revision(),
            "-Dserval.predictor.workers=2",
            "-Dserval.predictor.threads-per-worker=3",
            "-Dserval.predictor.batching.max-batch-size=16",
            "-Dserval.predictor.batching.max-queue-delay=PT0.002S",
            "-Dserval.predictor.batching.max-queue-size=64",
            "-Dquarkus.http.port=8000",
            "-Dquarkus.grpc.server.port=8001",
            "-Dserval.predictor.model-fetch.file-roots="
                + Path.of(".").toAbsolutePath().normalize());
    assertThat(l.command().subList(l.command().size() - 2, l.command().size()))
        .containsExactly("-jar", "/opt/predictor.jar");
    assertThat(l.environment())
        .containsEntry("SERVAL_PREDICTOR_THREADS_PER_WORKER", "3")
        .containsEntry("QUARKUS_GRPC_SERVER_PORT", "8001")
        .containsEntry("SERVAL_PREDICTOR_MODEL_NAME", "minilm");
  }
}
