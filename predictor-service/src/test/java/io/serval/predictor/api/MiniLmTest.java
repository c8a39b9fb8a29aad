package io.serval.predictor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quantized MiniLM example model (the default test configuration) over REST, against in-process
 * ONNX Runtime. Tolerance 1e-4 absolute: the reference session uses ONNX Runtime's default thread
 * count, the service one intra-op thread, and float sums may round differently.
 */
@QuarkusTest
class MiniLmTest {
  private static final float TOLERANCE = 1e-4f;

  @Test
  void embeddingsMatchInProcessOnnxRuntime() throws Exception {
    long[] ids = {101, 7592, 2088, 102};
    long[] mask = {1, 1, 1, 1};
    long[] types = {0, 0, 0, 0};
    String body =
        "{\"inputs\":["
            + "{\"name\":\"input_ids\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[101,7592,2088,102]},"
            + "{\"name\":\"attention_mask\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[1,1,1,1]},"
            + "{\"name\":\"token_type_ids\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[0,0,0,0]}]}";
    byte[] resp =
        given()
            .contentType("application/json")
            .body(body)
            .post("/v2/models/minilm/infer")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    JsonNode out = new ObjectMapper().readTree(resp).get("outputs").get(0);
    assertThat(out.get("name").asText()).isEqualTo("last_hidden_state");
    assertThat(out.get("shape").toString()).isEqualTo("[1,4,384]");

    Path model =
        Path.of(System.getProperty("serval.models.dir", "models"), "all-minilm-l6-v2-q.onnx");
    float[] expected =
        OrtReference.runInt64(
            model,
            "last_hidden_state",
            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types),
            new long[] {1, 4});
    JsonNode data = out.get("data");
    assertThat(data.size()).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((float) data.get(i).asDouble())
          .as("element %d", i)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(TOLERANCE));
    }
  }

  @Test
  void metadataReportsDynamicDimensions() {
    given()
        .get("/v2/models/minilm")
        .then()
        .statusCode(200)
        .body(
            "inputs.name",
            org.hamcrest.Matchers.hasItems("input_ids", "attention_mask", "token_type_ids"))
        .body("inputs[0].datatype", org.hamcrest.Matchers.is("INT64"))
        .body("inputs[0].shape", org.hamcrest.Matchers.equalTo(java.util.List.of(-1, -1)))
        .body("outputs[0].shape", org.hamcrest.Matchers.equalTo(java.util.List.of(-1, -1, 384)));
  }
}
