package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.it.client.ApiSpec;
import io.serval.it.client.ApiState;
import io.serval.it.client.HttpAnswer;
import io.serval.it.client.Tensor;
import io.serval.it.client.V2Requests;
import io.serval.it.platform.Platform;
import io.serval.objects.ObjectStores;
import io.serval.objects.S3Settings;
import io.serval.objects.UploadStream;
import io.serval.objects.testing.S3ProxyServer;
import io.serval.testmodels.TestModels;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, "spec.model.uri: s3://": the operator's local runtime starts predictors with the S3
 * settings (endpoint, path style, key files) and they fetch their model from a real S3-compatible
 * server (s3proxy); an API whose key does not exist is Degraded with the predictor's reason in its
 * status, not a bare exit code, and no credential in it.
 */
class S3ModelIT {

  @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

  static final int WIDTH = 4;
  static Platform platform;

  @BeforeAll
  static void start() throws IOException {
    S3.createBucket("models");
    Path secrets = Files.createTempDirectory("serval-s3-it");
    S3Settings settings = S3.settings(secrets);
    try (ObjectStores objects = new ObjectStores(settings);
        UploadStream out = objects.create(URI.create("s3://models/team/add.onnx"))) {
      out.write(TestModels.addFp32(WIDTH));
    }
    platform =
        Platform.builder("S3ModelIT")
            .replicaProperty("serval.s3.endpoint", S3.endpoint().toString())
            .replicaProperty("serval.s3.path-style", "true")
            .replicaProperty(
                "serval.s3.access-key-id-file", settings.accessKeyIdFile().orElseThrow().toString())
            .replicaProperty(
                "serval.s3.secret-access-key-file",
                settings.secretAccessKeyFile().orElseThrow().toString())
            .start();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void anApiServesAModelFetchedFromS3() throws IOException {
    platform
        .management()
        .deploy(ApiSpec.api("s3add").modelUri("s3://models/team/add.onnx").replicas(1).yaml());
    platform.management().awaitReady("s3add", Duration.ofSeconds(180));

    HttpAnswer answer =
        platform
            .http()
            .inferJson(
                "s3add",
                V2Requests.json(
                    List.of(
                        Tensor.fp32("a", new long[] {1, WIDTH}, 1, 2, 3, 4),
                        Tensor.fp32("b", new long[] {1, WIDTH}, 10, 20, 30, 40))));

    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    JsonNode sum = new ObjectMapper().readTree(answer.text()).at("/outputs/0/data");
    assertThat(List.of(sum.get(0).asDouble(), sum.get(3).asDouble()))
        .as(answer.text())
        .containsExactly(11.0, 44.0);
  }

  @Test
  void aMissingKeyIsAClearStatusNotABareExitCode() {
    platform
        .management()
        .deploy(
            ApiSpec.api("s3missing").modelUri("s3://models/team/absent.onnx").replicas(1).yaml());

    AtomicReference<String> degraded = new AtomicReference<>();
    await("the API reports why its replica cannot start")
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              ApiState s = platform.management().api("s3missing");
              if (s.conditionTrue("Degraded")) {
                degraded.set(s.conditionMessage("Degraded"));
              }
              return degraded.get() != null;
            });

    assertThat(degraded.get())
        .contains("could not load its model")
        .contains("s3://models/team/absent.onnx")
        .contains("no such key")
        .doesNotContain(S3ProxyServer.SECRET_ACCESS_KEY);
    assertThat(platform.management().api("s3missing").readyReplicas()).isZero();
  }
}
