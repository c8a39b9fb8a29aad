package io.serval.predictor.warmup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.serval.testmodels.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The predictor as the operator starts it for {@code spec.predictor.warmup}: a MaxUnpool model
 * (whose synthetic warm-up cannot run) with a base64 sample in serval.predictor.warmup-request. The
 * sample is what the warm-up ran (the metric says so), and the model serves.
 */
@QuarkusTest
@TestProfile(WarmupSampleTest.UnpoolWithSample.class)
class WarmupSampleTest {

  static final String SAMPLE =
      "{\"inputs\": ["
          + "{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 1, 2, 2], \"data\": [5, 6,"
          + " 7, 8]},"
          + "{\"name\": \"indices\", \"datatype\": \"INT64\", \"shape\": [1, 1, 2, 2], \"data\":"
          + " [5, 7, 13, 15]},"
          + "{\"name\": \"output_shape\", \"datatype\": \"INT64\", \"shape\": [4], \"data\": [1,"
          + " 1, 5, 5]}]}";

  public static class UnpoolWithSample implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Path model;
      try {
        model =
            TestModels.write(
                Files.createTempDirectory("serval-unpool"), "unpool.onnx", TestModels.maxUnpool());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "serval.predictor.model.uri",
          "file:" + model,
          "serval.predictor.model.name",
          "unpool",
          // the model is written to a temp directory, outside the default roots (the working dir)
          "serval.predictor.model-fetch.file-roots",
          model.getParent().toString(),
          "serval.predictor.warmup-request",
          Base64.getEncoder().encodeToString(SAMPLE.getBytes(StandardCharsets.UTF_8)),
          "quarkus.grpc.server.test-port",
          Integer.toString(freePort()));
    }

    private static int freePort() {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void theWarmUpRanTheSampleAndTheModelServes() {
    given().get("/v2/health/ready").then().statusCode(200);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString(
                "serval_predictor_warmup_total{api=\"unpool\",outcome=\"ok\",revision=\"\",source=\"sample\"}"
                    + " 1.0"));
    given()
        .contentType("application/json")
        .body(SAMPLE)
        .post("/v2/models/unpool/infer")
        .then()
        .statusCode(200)
        .body("outputs[0].shape", is(java.util.List.of(1, 1, 5, 5)));
  }
}
