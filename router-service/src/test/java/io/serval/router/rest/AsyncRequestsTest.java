package io.serval.router.rest;

import static io.restassured.RestAssured.given;
import static io.serval.router.fakes.FakePredictorsResource.slow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.serval.router.fakes.FakePredictorsResource;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Async requests through the real router: intake, the store (SQLite), the pump, results. */
@QuarkusTest
@QuarkusTestResource(FakePredictorsResource.class)
class AsyncRequestsTest {
  private static final String BODY =
      """
      {"id": "a1", "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1.0, 2.5]}]}
      """;

  @AfterEach
  void releaseSlowAnswers() {
    slow.release();
  }

  private static Response submit(String api, String prefer, String body) {
    return given()
        .contentType("application/json")
        .header("Prefer", prefer)
        .body(body)
        .post("/v2/models/" + api + "/infer");
  }

  private static String accepted(Response r, String api) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
    String id = r.jsonPath().getString("id");
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(r.jsonPath().getString("status")).isEqualTo("pending");
    assertThat(r.header("Location")).isEqualTo("/v2/models/" + api + "/async/" + id);
    assertThat(r.header("Preference-Applied")).isEqualTo("respond-async");
    return id;
  }

  /**
   * Waits until the request has finished: none is left running into another test class that counts
   * a fake predictor's calls.
   */
  private static void awaitFinished(String location) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> List.of("succeeded", "failed", "cancelled").contains(statusOf(location)));
  }

  private static String statusOf(String location) {
    return given().get(location).then().statusCode(200).extract().header("Serval-Async-Status");
  }

  @Test
  void anAcceptedRequestRunsAndItsResultIsTheRealtimeAnswer() {
    Response r = submit("echo", "respond-async", BODY);
    String id = accepted(r, "echo");
    String location = r.header("Location");
    await().atMost(Duration.ofSeconds(20)).until(() -> "succeeded".equals(statusOf(location)));
    String realtime =
        given()
            .contentType("application/json")
            .body(BODY)
            .post("/v2/models/echo/infer")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    given()
        .get(location)
        .then()
        .statusCode(200)
        .contentType("application/json")
        .header("Serval-Async-Status", "succeeded")
        .body("model_name", is("echo"))
        .body("id", is("a1"))
        .body("outputs[0].data", equalTo(List.of(1.0f, 2.5f)))
        .body(equalTo(realtime));
    Response another = submit("echo", "respond-async", BODY);
    assertThat(accepted(another, "echo")).isNotEqualTo(id);
    awaitFinished(another.header("Location"));
  }

  @Test
  void aResultIsKeptForItsApisResultTtlThenAnswers404() {
    // "ephemeral" routes with asyncResultTtl 1.5s (spec.async.resultTtl); "echo" has none and
    // keeps the router's 24h: the TTL is per API, taken when the result is written.
    Response shortLived = submit("ephemeral", "respond-async", BODY);
    String location = shortLived.header("Location");
    accepted(shortLived, "ephemeral");
    Response kept = submit("echo", "respond-async", BODY);
    accepted(kept, "echo");
    await().atMost(Duration.ofSeconds(20)).until(() -> "succeeded".equals(statusOf(location)));
    awaitFinished(kept.header("Location"));
    await().atMost(Duration.ofSeconds(20)).until(() -> given().get(location).statusCode() == 404);
    given().get(location).then().statusCode(404).body("error", containsString("async request"));
    String id = location.substring(location.lastIndexOf('/') + 1);
    given().get("/v2/async/" + id).then().statusCode(404);
    given().get(kept.header("Location")).then().statusCode(200);
  }

  @Test
  void theBinaryExtensionIsAnsweredInKind() {
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
            .header("Prefer", "respond-async")
            .body(body.array())
            .post("/v2/models/echo/versions/1/infer");
    accepted(r, "echo");
    String location = r.header("Location");
    await().atMost(Duration.ofSeconds(20)).until(() -> "succeeded".equals(statusOf(location)));
    Response result = given().get(location);
    assertThat(result.contentType()).startsWith("application/octet-stream");
    int jsonLength = Integer.parseInt(result.header("Inference-Header-Content-Length"));
    byte[] bytes = result.asByteArray();
    assertThat(new String(bytes, 0, jsonLength, StandardCharsets.UTF_8))
        .contains("\"binary_data_size\":8");
    ByteBuffer data = ByteBuffer.wrap(bytes, jsonLength, 8).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(data.getFloat()).isEqualTo(3f);
    assertThat(data.getFloat()).isEqualTo(-1f);
  }

  @Test
  void otherPreferencesAreIgnoredAndRespondAsyncIsFoundAmongThem() {
    given()
        .contentType("application/json")
        .header("Prefer", "return=minimal")
        .body(BODY)
        .post("/v2/models/echo/infer")
        .then()
        .statusCode(200)
        .body("id", is("a1"));
    Response r = submit("echo", "wait=10, Respond-Async; x=\"a,b\"", BODY);
    accepted(r, "echo");
    awaitFinished(r.header("Location"));
  }

  /**
   * "busy" has one slot on a predictor that holds its answers: the first async request takes it
   * (running), the second waits in the store (pending) and can be cancelled; the running one
   * cannot, and finishes once the predictor answers.
   */
  @Test
  void pendingRequestsCanBeCancelledRunningOnesCannot() {
    Response first = submit("busy", "respond-async", BODY);
    accepted(first, "busy");
    String running = first.header("Location");
    await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(statusOf(running)));
    await().atMost(Duration.ofSeconds(20)).until(() -> slow.held() == 1);

    Response second = submit("busy", "respond-async", BODY);
    String pendingId = accepted(second, "busy");
    String pending = second.header("Location");
    assertThat(statusOf(pending)).isEqualTo("pending");

    given()
        .delete(pending)
        .then()
        .statusCode(200)
        .body("id", is(pendingId))
        .body("status", is("cancelled"));
    assertThat(statusOf(pending)).isEqualTo("cancelled");
    given().delete(pending).then().statusCode(409);
    given().delete(running).then().statusCode(409).body("error", containsString("running"));

    slow.release();
    await().atMost(Duration.ofSeconds(20)).until(() -> "succeeded".equals(statusOf(running)));
    assertThat(slow.held()).isZero();
  }

  private static CompletableFuture<Response> waitingGet(String path, String prefer) {
    return CompletableFuture.supplyAsync(() -> given().header("Prefer", prefer).get(path));
  }

  /**
   * A result request with {@code Prefer: wait=N} on a running request is held, and answered as soon
   * as the result is written, long before N: under the API's path and by id alone.
   */
  @Test
  void aWaitingGetIsAnsweredAsSoonAsTheResultIsWritten() throws Exception {
    Response r = submit("busy", "respond-async", BODY);
    String id = accepted(r, "busy");
    String location = r.header("Location");
    await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(statusOf(location)));
    await().atMost(Duration.ofSeconds(20)).until(() -> slow.held() == 1);

    CompletableFuture<Response> underApi = waitingGet(location, "wait=30");
    CompletableFuture<Response> byId = waitingGet("/v2/async/" + id, "return=minimal, wait=30");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !underApi.isDone() && !byId.isDone());
    long released = System.nanoTime();
    slow.release();

    for (CompletableFuture<Response> held : List.of(underApi, byId)) {
      Response answer = held.get(20, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.header("Serval-Async-Status")).isEqualTo("succeeded");
      assertThat(answer.header("Preference-Applied")).isEqualTo("wait=30");
      assertThat(answer.jsonPath().getString("model_name")).isEqualTo("busy");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - released))
        .as("answered when the result was written, not at the end of the wait")
        .isLessThan(Duration.ofSeconds(10));
    // A finished request is answered at once, the preference applied; without it, as before.
    Response again = given().header("Prefer", "wait=30").get(location);
    assertThat(again.header("Serval-Async-Status")).isEqualTo("succeeded");
    assertThat(again.header("Preference-Applied")).isEqualTo("wait=30");
    assertThat(given().get(location).header("Preference-Applied")).isNull();
  }

  /**
   * A pending request's waiting GET answers "pending" once its wait is over, and "cancelled" as
   * soon as the request is cancelled.
   */
  @Test
  void aWaitingGetOnAPendingRequestAnswersPendingAfterItsWaitOrWhenCancelled() throws Exception {
    Response first = submit("busy", "respond-async", BODY);
    accepted(first, "busy");
    String running = first.header("Location");
    await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(statusOf(running)));
    await().atMost(Duration.ofSeconds(20)).until(() -> slow.held() == 1);
    Response second = submit("busy", "respond-async", BODY);
    accepted(second, "busy");
    String pending = second.header("Location");

    long start = System.nanoTime();
    Response afterWait = given().header("Prefer", "wait=1").get(pending);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(afterWait.statusCode()).isEqualTo(200);
    assertThat(afterWait.header("Serval-Async-Status")).isEqualTo("pending");
    assertThat(afterWait.header("Preference-Applied")).isEqualTo("wait=1");
    assertThat(afterWait.jsonPath().getString("status")).isEqualTo("pending");

    CompletableFuture<Response> held = waitingGet(pending, "wait=30");
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !held.isDone());
    given().delete(pending).then().statusCode(200);
    Response cancelled = held.get(10, TimeUnit.SECONDS);
    assertThat(cancelled.header("Serval-Async-Status")).isEqualTo("cancelled");
    assertThat(cancelled.jsonPath().getString("status")).isEqualTo("cancelled");

    slow.release();
    awaitFinished(running);
  }

  private static double heldResults() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("serval_router_async_held_results ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
      }
    }
    throw new AssertionError("no serval_router_async_held_results in /q/metrics");
  }

  /** A client that closes its connection while its GET is held is let go at once. */
  @Test
  void aHeldGetWhoseClientLeavesIsLetGo() throws Exception {
    Response r = submit("busy", "respond-async", BODY);
    String id = accepted(r, "busy");
    String location = r.header("Location");
    await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(statusOf(location)));
    await().atMost(Duration.ofSeconds(20)).until(() -> slow.held() == 1);
    assertThat(heldResults()).isZero();

    try (Socket client = new Socket("localhost", RestAssured.port)) {
      client
          .getOutputStream()
          .write(
              ("GET /v2/async/" + id + " HTTP/1.1\r\nHost: localhost\r\nPrefer: wait=60\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> heldResults() == 1);
    }
    // Gone long before its 60 s: the closed connection cancelled the hold.
    await().atMost(Duration.ofSeconds(10)).until(() -> heldResults() == 0);

    slow.release();
    awaitFinished(location);
  }

  @Test
  void transientFailuresAreRetriedThenTheRequestFailsWithTheReason() {
    Response r = submit("failing", "respond-async", BODY);
    accepted(r, "failing");
    String location = r.header("Location");
    await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(statusOf(location)));
    given()
        .get(location)
        .then()
        .statusCode(200)
        .body("status", is("failed"))
        .body("error", containsString("gave up after 5 tries"));
  }

  @Test
  void unknownIdsAndIdsOfAnotherApiAreNotFound() {
    Response r = submit("echo", "respond-async", BODY);
    String id = accepted(r, "echo");
    given().get("/v2/models/echo-b/async/" + id).then().statusCode(404);
    // By id alone (serval result ID): found whatever its API.
    given()
        .get("/v2/async/" + id)
        .then()
        .statusCode(200)
        .header("Serval-Async-Status", notNullValue());
    given().get("/v2/async/0123456789abcdef0123456789abcdef").then().statusCode(404);
    awaitFinished(r.header("Location"));
    given().delete("/v2/models/echo-b/async/" + id).then().statusCode(404);
    given()
        .get("/v2/models/echo/async/0123456789abcdef0123456789abcdef")
        .then()
        .statusCode(404)
        .body("error", containsString("no async request"));
    given().get("/v2/models/echo/async/not-an-id").then().statusCode(404);
    given().delete("/v2/models/echo/async/not-an-id").then().statusCode(404);
  }

  @Test
  void requestsARealtimeCallWouldRefuseAreRefusedBeforeTheyAreStored() {
    submit("nope", "respond-async", BODY).then().statusCode(404);
    submit("echo", "respond-async", "{not json")
        .then()
        .statusCode(400)
        .body("error", containsString("malformed JSON"));
    submit(
            "echo",
            "respond-async",
            "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [3], \"data\": [1]}]}")
        .then()
        .statusCode(400);
    submit("classifier", "respond-async", BODY)
        .then()
        .statusCode(400)
        .body("error", containsString("splitter"));
  }

  @Test
  void aRequestForAnApiWithNoReplicaWakesIt() {
    Response r = submit("sleepy", "respond-async", BODY);
    accepted(r, "sleepy");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> FakePredictorsResource.control.wakeUps().contains("sleepy"));
    assertThat(statusOf(r.header("Location"))).isEqualTo("pending");
    // The autoscaler sees the waiting request in the router's stats (ApiSample.async_pending).
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                FakePredictorsResource.control.reports().stream()
                    .flatMap(report -> report.getSamplesList().stream())
                    .anyMatch(x -> x.getApi().equals("sleepy") && x.getAsyncPending() == 1));
    given().delete(r.header("Location")).then().statusCode(200);
  }
}
