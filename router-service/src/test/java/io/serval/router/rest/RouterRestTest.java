package io.serval.router.rest;

import static io.restassured.RestAssured.given;
import static io.serval.router.fakes.FakePredictorsResource.echoA;
import static io.serval.router.fakes.FakePredictorsResource.slow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.fakes.FakePredictorsResource;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakePredictorsResource.class)
class RouterRestTest {
  private static final String BODY =
      """
      {"id": "r1", "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1.0, 2.5]}]}
      """;

  @Inject InferenceDispatcher dispatcher;

  /** The common pool has one thread on two cores: blocking clients need their own. */
  private final ExecutorService clients = Executors.newFixedThreadPool(4);

  @AfterEach
  void releaseSlowAnswers() {
    slow.release();
    clients.shutdownNow();
  }

  @Test
  void infersWithJsonAndNamesTheRevision() {
    given()
        .contentType("application/json")
        .body(BODY)
        .post("/v2/models/classifier/infer")
        .then()
        .statusCode(200)
        .header("serval-revision", matchesPattern("echo(-b)?/r1"))
        .body("model_name", is("classifier"))
        .body("id", is("r1"))
        .body("outputs[0].name", is("out_x"))
        .body("outputs[0].shape", equalTo(List.of(1, 2)))
        .body("outputs[0].data", equalTo(List.of(1.0f, 2.5f)));
  }

  @Test
  void answersTheBinaryExtensionInKind() {
    String header =
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],"
            + "\"parameters\":{\"binary_data_size\":8}}],"
            + "\"parameters\":{\"binary_data_output\":true}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    body.put(json).putFloat(3f).putFloat(-1f);
    Response r =
        given()
            .contentType("application/octet-stream")
            .header("Inference-Header-Content-Length", json.length)
            .body(body.array())
            .post("/v2/models/echo/infer");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("serval-revision")).isEqualTo("echo/r1");
    int jsonLength = Integer.parseInt(r.header("Inference-Header-Content-Length"));
    byte[] bytes = r.asByteArray();
    assertThat(new String(bytes, 0, jsonLength, StandardCharsets.UTF_8))
        .contains("\"binary_data_size\":8");
    ByteBuffer data = ByteBuffer.wrap(bytes, jsonLength, 8).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(data.getFloat()).isEqualTo(3f);
    assertThat(data.getFloat()).isEqualTo(-1f);
  }

  @Test
  void refusesBadInputWithoutCallingAPredictor() {
    int before = echoA.calls();
    given()
        .contentType("application/json")
        .body(BODY)
        .post("/v2/models/nope/infer")
        .then()
        .statusCode(404)
        .body("error", containsString("'nope'"));
    given()
        .contentType("application/json")
        .body(
            "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [3], \"data\": [1]}]}")
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(400)
        .body("error", containsString("needs 3 elements"));
    given()
        .contentType("application/json")
        .body("{not json")
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(400)
        .body("error", containsString("malformed JSON"));
    given()
        .contentType("application/json")
        .header("Serval-Timeout", "soon")
        .body(BODY)
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(400)
        .body("error", containsString("Serval-Timeout"));
    given()
        .contentType("application/octet-stream")
        .body(new byte[2 * 1024 * 1024])
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(413)
        .body("error", containsString("exceeds the limit"));
    assertThat(echoA.calls()).isEqualTo(before);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413WithoutCallingAPredictor() throws Exception {
    // No Content-Length to refuse it by: the limit holds while the body is read.
    int before = echoA.calls();
    byte[] chunk = new byte[64 * 1024];
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v2/models/echo/infer HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 20; i++) { // 1.25 MiB against the tests' 1 MiB limit
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readUntil(socket, "}");
      assertThat(answer).startsWith("HTTP/1.1 413").contains("exceeds the limit");
    }
    assertThat(echoA.calls()).isEqualTo(before);
  }

  @Test
  void theVersionedPathReachesTheModel() {
    given()
        .contentType("application/json")
        .body(BODY)
        .post("/v2/models/echo/versions/1/infer")
        .then()
        .statusCode(200)
        .header("serval-revision", matchesPattern("echo/.+"));
  }

  @Test
  void aFullQueueAnswers503WithRetryAfter() {
    // Answers another test left held on the shared slow predictor would skew the counts below.
    slow.release();
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.held() == 0);
    List<CompletableFuture<Response>> admitted = new ArrayList<>();
    admitted.add(CompletableFuture.supplyAsync(this::postBusy, clients));
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.held() == 1);
    for (int i = 0; i < FakePredictorsResource.SLOW_QUEUE; i++) {
      admitted.add(CompletableFuture.supplyAsync(this::postBusy, clients));
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> dispatcher.lane("busy").queued() == FakePredictorsResource.SLOW_QUEUE);
    Response over = postBusy();
    assertThat(over.statusCode()).isEqualTo(503);
    assertThat(over.header("Retry-After")).isEqualTo("1");
    assertThat(over.header("serval-revision")).isEqualTo("busy/r1");
    assertThat(over.jsonPath().getString("error")).contains("queue of API 'busy' is full");
    // Each release lets the next queued request through to the one slot (FIFO order itself is
    // FairApiQueueTest's subject); keep releasing until every admitted request has its answer.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              slow.release();
              return admitted.stream().allMatch(CompletableFuture::isDone);
            });
    for (CompletableFuture<Response> f : admitted) {
      assertThat(f.join().statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aClientThatGoesAwayCancelsItsRequestAndFreesTheSlot() throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v2/models/busy/infer HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.lane("busy").executing() == 1);
    }
    // The slow replica holds the call until released, and the API's timeout is 30 s: only the
    // cancellation can free the slot within seconds.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(dispatcher.lane("busy").executing()).isZero());
  }

  @Test
  void servalTimeoutShortensTheDeadlineTo504() {
    long start = System.nanoTime();
    given()
        .contentType("application/json")
        .header("Serval-Timeout", "150ms")
        .body(BODY)
        .post("/v2/models/slow/infer")
        .then()
        .statusCode(504)
        .header("serval-revision", "slow/r1")
        .body("error", containsString("deadline"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(dispatcher.lane("slow").queued()).isZero();
              assertThat(dispatcher.lane("slow").executing()).isZero();
            });
  }

  @Test
  void answersHealthReadinessAndMetadata() {
    given().get("/v2/health/live").then().statusCode(200);
    given().get("/v2/health/ready").then().statusCode(200);
    given().get("/ready").then().statusCode(200);
    given().get("/v2/models/classifier/ready").then().statusCode(200).body("ready", is(true));
    given().get("/v2/models/sleepy/ready").then().statusCode(503).header("Retry-After", "1");
    given().get("/v2/models/nope/ready").then().statusCode(404);
    given()
        .get("/v2/models/echo")
        .then()
        .statusCode(200)
        .header("serval-revision", "echo/r1")
        .body("name", is("echo"))
        .body("versions[0]", is("a"))
        .body("inputs[0].shape", equalTo(List.of(-1, 2)));
    given().get("/v2/models/nope").then().statusCode(404).body("error", containsString("'nope'"));
  }

  @Test
  void answersServerMetadataWithTheBuildsVersion() {
    given()
        .get("/v2")
        .then()
        .statusCode(200)
        .body("name", is("serval-router"))
        .body(
            "version",
            is(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class)))
        .body("version", matchesPattern("\\d+\\.\\d+\\.\\d+.*"))
        .body("extensions", equalTo(List.of("binary_tensor_data")));
  }

  @Test
  void answersVersionedMetadataAndReadinessForTheModelsVersionOnly() {
    given()
        .get("/v2/models/echo/versions/a")
        .then()
        .statusCode(200)
        .body("name", is("echo"))
        .body("versions[0]", is("a"));
    given().get("/v2/models/echo/versions/zz").then().statusCode(404);
    given().get("/v2/models/echo/versions/a/ready").then().statusCode(200).body("ready", is(true));
    given().get("/v2/models/echo/versions/zz/ready").then().statusCode(404);
    given().get("/v2/models/sleepy/versions/a/ready").then().statusCode(503);
    given().get("/v2/models/nope/versions/a/ready").then().statusCode(404);
  }

  @Test
  void exposesRouterMetrics() {
    given().contentType("application/json").body(BODY).post("/v2/models/echo/infer");
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString(
                "serval_router_requests_total{api=\"echo\",code=\"200\",protocol=\"rest\",revision=\"r1\"}"))
        .body(containsString("serval_router_in_flight{api=\"echo\"}"))
        .body(containsString("serval_router_queue_length{api=\"echo\"}"))
        .body(containsString("serval_router_queue_capacity{api=\"echo\"}"))
        .body(
            containsString(
                "serval_router_request_duration_seconds_count{api=\"echo\",protocol=\"rest\",revision=\"r1\"}"));
  }

  /** What the server sent until {@code end} appeared, the connection closed or 10 s passed. */
  private static String readUntil(Socket socket, String end) throws java.io.IOException {
    StringBuilder text = new StringBuilder();
    byte[] buf = new byte[1024];
    var in = socket.getInputStream();
    int n;
    while (!text.toString().contains(end) && (n = in.read(buf)) > 0) {
      text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return text.toString();
  }

  private Response postBusy() {
    return given().contentType("application/json").body(BODY).post("/v2/models/busy/infer");
  }
}
