package io.serval.predictor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AddModelProfile.class)
class RestApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[] A = {1.5f, -2.25f, 3.1f, 4e-7f, 5, 6, 7, 8.125f};
  private static final float[] B = {0.1f, 0.2f, 0.3f, 1e10f, -5, 6.5f, 0, 1};

  private static String tensor(String name, String datatype, String shape, String data) {
    return "{\"name\":\""
        + name
        + "\",\"datatype\":\""
        + datatype
        + "\",\"shape\":"
        + shape
        + ",\"data\":"
        + data
        + "}";
  }

  private static String addRequest(String id) {
    return "{\"id\":\""
        + id
        + "\",\"inputs\":["
        + tensor("a", "FP32", "[2,4]", Arrays.toString(A))
        + ","
        + tensor("b", "FP32", "[2,4]", Arrays.toString(B))
        + "]}";
  }

  private static Response post(String path, String body) {
    return given().contentType("application/json").body(body).post(path);
  }

  private static void assertError(Response r, int status, String... fragments) {
    r.then().statusCode(status).contentType(containsString("application/json"));
    String error = r.jsonPath().getString("error");
    assertThat(error).as("V2 error body").isNotNull();
    for (String f : fragments) {
      assertThat(error).contains(f);
    }
  }

  @Test
  void serverAndHealthEndpoints() {
    given()
        .get("/v2")
        .then()
        .statusCode(200)
        .body("name", is("serval-predictor"))
        .body("extensions", hasItem("binary_tensor_data"));
    given().get("/v2/health/live").then().statusCode(200).body("live", is(true));
    given().get("/v2/health/ready").then().statusCode(200).body("ready", is(true));
    given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void modelMetadataAndReadiness() {
    given()
        .get("/v2/models/add")
        .then()
        .statusCode(200)
        .body("name", is("add"))
        .body("versions", equalTo(java.util.List.of("7")))
        .body("platform", is("onnxruntime_onnx"))
        .body("inputs.name", equalTo(java.util.List.of("a", "b")))
        .body("inputs[0].datatype", is("FP32"))
        .body("inputs[0].shape", equalTo(java.util.List.of(-1, 4)))
        .body("outputs[0].name", is("sum"));
    given().get("/v2/models/add/versions/7").then().statusCode(200).body("name", is("add"));
    given().get("/v2/models/add/ready").then().statusCode(200).body("ready", is(true));
    given().get("/v2/models/add/versions/7/ready").then().statusCode(200).body("ready", is(true));
    assertError(given().get("/v2/models/nope/ready"), 404, "unknown model 'nope'");
    assertError(given().get("/v2/models/add/versions/8"), 404, "no version '8'");
  }

  @Test
  void jsonInferenceEqualsInProcessOnnxRuntime() throws Exception {
    float[] expected =
        OrtReference.runFp32(
            AddModelProfile.MODEL, "sum", Map.of("a", A, "b", B), new long[] {2, 4});
    for (String path : new String[] {"/v2/models/add/infer", "/v2/models/add/versions/7/infer"}) {
      Response r = post(path, addRequest("req-42"));
      r.then().statusCode(200).contentType(containsString("application/json"));
      JsonNode body = JSON.readTree(r.asByteArray());
      assertThat(body.get("model_name").asText()).isEqualTo("add");
      assertThat(body.get("model_version").asText()).isEqualTo("7");
      assertThat(body.get("id").asText()).isEqualTo("req-42");
      JsonNode out = body.get("outputs").get(0);
      assertThat(out.get("name").asText()).isEqualTo("sum");
      assertThat(out.get("datatype").asText()).isEqualTo("FP32");
      assertThat(out.get("shape").toString()).isEqualTo("[2,4]");
      float[] actual = new float[expected.length];
      for (int i = 0; i < actual.length; i++) {
        actual[i] = (float) out.get("data").get(i).asDouble();
      }
      assertThat(actual).containsExactly(expected);
    }
  }

  @Test
  void binaryTensorExtensionInAndOut() throws Exception {
    float[] expected =
        OrtReference.runFp32(
            AddModelProfile.MODEL, "sum", Map.of("a", A, "b", B), new long[] {2, 4});
    String header =
        "{\"inputs\":["
            + "{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[2,4],\"parameters\":{\"binary_data_size\":32}},"
            + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[2,4],\"parameters\":{\"binary_data_size\":32}}],"
            + "\"outputs\":[{\"name\":\"sum\",\"parameters\":{\"binary_data\":true}}]}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(h.length + 64).order(ByteOrder.LITTLE_ENDIAN);
    body.put(h);
    for (float f : A) {
      body.putFloat(f);
    }
    for (float f : B) {
      body.putFloat(f);
    }
    Response r =
        given()
            .contentType("application/octet-stream")
            .header("Inference-Header-Content-Length", h.length)
            .body(body.array())
            .post("/v2/models/add/infer");
    r.then().statusCode(200);
    int jsonLength = Integer.parseInt(r.header("Inference-Header-Content-Length"));
    byte[] bytes = r.asByteArray();
    JsonNode json = JSON.readTree(new String(bytes, 0, jsonLength, StandardCharsets.UTF_8));
    JsonNode out = json.get("outputs").get(0);
    assertThat(out.get("parameters").get("binary_data_size").asInt()).isEqualTo(32);
    assertThat(out.has("data")).isFalse();
    ByteBuffer data =
        ByteBuffer.wrap(bytes, jsonLength, bytes.length - jsonLength)
            .order(ByteOrder.LITTLE_ENDIAN);
    float[] actual = new float[8];
    for (int i = 0; i < 8; i++) {
      actual[i] = data.getFloat();
    }
    assertThat(actual).containsExactly(expected);
  }

  @Test
  void requestedOutputsAreFiltered() {
    String body = addRequest("x").replaceFirst("}$", ",\"outputs\":[{\"name\":\"sum\"}]}");
    post("/v2/models/add/infer", body).then().statusCode(200).body("outputs.size()", is(1));
    String unknown = addRequest("x").replaceFirst("}$", ",\"outputs\":[{\"name\":\"product\"}]}");
    assertError(
        post("/v2/models/add/infer", unknown), 400, "unknown requested output 'product'", "[sum]");
  }

  @Test
  void badInputsAreRefusedNamingTheProblem() {
    String a = tensor("a", "FP32", "[1,4]", "[1,2,3,4]");
    String b = tensor("b", "FP32", "[1,4]", "[1,2,3,4]");
    assertError(
        post(
            "/v2/models/add/infer",
            "{\"inputs\":[" + a + "," + b + "," + tensor("c", "FP32", "[1,4]", "[1,2,3,4]") + "]}"),
        400,
        "unknown input 'c'");
    assertError(post("/v2/models/add/infer", "{\"inputs\":[" + a + "]}"), 400, "missing input 'b'");
    assertError(
        post(
            "/v2/models/add/infer",
            "{\"inputs\":[" + a + "," + tensor("b", "INT32", "[1,4]", "[1,2,3,4]") + "]}"),
        400,
        "input 'b'",
        "INT32",
        "expects FP32");
    assertError(
        post(
            "/v2/models/add/infer",
            "{\"inputs\":[" + a + "," + tensor("b", "FP32", "[1,3]", "[1,2,3]") + "]}"),
        400,
        "input 'b'",
        "[1,3]",
        "dimension 1 must be 4");
    assertError(
        post(
            "/v2/models/add/infer",
            "{\"inputs\":[" + a + "," + tensor("b", "FP32", "[4]", "[1,2,3,4]") + "]}"),
        400,
        "input 'b'",
        "rank 1",
        "rank 2");
    assertError(
        post(
            "/v2/models/add/infer",
            "{\"inputs\":[" + a + "," + tensor("b", "FP32", "[1,4]", "[1,2,3]") + "]}"),
        400,
        "'b'");
    assertError(post("/v2/models/add/infer", "{\"inputs\": [ {\"name\": "), 400);
    assertError(post("/v2/models/add/infer", "not json at all"), 400);
    assertError(
        post("/v2/models/nope/infer", "{\"inputs\":[" + a + "," + b + "]}"),
        404,
        "unknown model 'nope'");
    assertError(
        post("/v2/models/add/versions/9/infer", "{\"inputs\":[" + a + "," + b + "]}"),
        404,
        "no version '9'");
  }

  @Test
  void oversizedBodyGets413WithV2Error() {
    StringBuilder data = new StringBuilder("[0");
    while (data.length() < 70 * 1024) {
      data.append(",0");
    }
    data.append(']');
    assertError(
        post(
            "/v2/models/add/infer",
            "{\"inputs\":[" + tensor("a", "FP32", "[1,4]", data.toString()) + "]}"),
        413,
        "exceeds the limit of 65536 bytes");
  }

  @Test
  void metricsFollowTheScheme() {
    post("/v2/models/add/infer", addRequest("m")).then().statusCode(200);
    post("/v2/models/nope/infer", addRequest("m")).then().statusCode(404);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains(
            "serval_predictor_requests_total{api=\"add\",code=\"200\",protocol=\"rest\",revision=\"7\"}")
        .contains(
            "serval_predictor_requests_total{api=\"add\",code=\"404\",protocol=\"rest\",revision=\"7\"}")
        .contains(
            "serval_predictor_request_duration_seconds_count{api=\"add\",protocol=\"rest\",revision=\"7\"}")
        .contains("serval_predictor_queue_seconds_bucket{api=\"add\"")
        .contains("serval_predictor_compute_seconds_bucket{api=\"add\"")
        .contains("serval_predictor_batch_size_count{api=\"add\",revision=\"7\"}")
        .contains("serval_predictor_queue_depth{api=\"add\",revision=\"7\"}")
        .contains("serval_predictor_in_flight{api=\"add\",revision=\"7\"}")
        .doesNotContain("model=\"add\"");
    assertThat(metricValue(metrics, "serval_predictor_requests_total{api=\"add\",code=\"404\""))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(
            metricValue(
                metrics,
                "serval_predictor_request_duration_seconds_count{api=\"add\",protocol=\"rest\""))
        .as("end-to-end latency counts failures too")
        .isGreaterThanOrEqualTo(2.0);
  }

  /** The value of the first sample line starting with {@code prefix}. */
  static double metricValue(String metrics, String prefix) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + prefix + " in\n" + metrics));
  }
}
