package io.serval.router.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.serval.router.fakes.FakePredictorsResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Batch jobs through the real router: /v1/jobs, the store (SQLite), the runner, fake predictors.
 */
@QuarkusTest
@QuarkusTestResource(FakePredictorsResource.class)
class BatchJobsTest {
  private static final String GOOD =
      "{\"id\":\"i%d\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],"
          + "\"data\":[%d.0,2.5]}]}";
  // Two values for a [1, 3] shape: a bad shape, refused when decoded.
  private static final String BAD_SHAPE =
      "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1.0,2.5]}]}";

  private final List<String> started = new ArrayList<>();

  @AfterEach
  void cancelWhatIsLeft() {
    for (String id : started) {
      given().delete("/v1/jobs/" + id);
    }
  }

  private Response submit(String query, String body) {
    Response r =
        given()
            .contentType("application/x-ndjson")
            .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .post("/v1/jobs?" + query);
    if (r.statusCode() == 201) {
      started.add(r.jsonPath().getString("id"));
    }
    return r;
  }

  private static JsonPath job(String id) {
    return given().get("/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
  }

  private static JsonPath awaitStatus(String id, String status) {
    await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(job(id).getString("status")));
    return job(id);
  }

  @Test
  void aJobRunsItsItemsAndWritesResultsInInputOrderAndFailuresWithReasons() {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      items.append(i == 3 ? BAD_SHAPE : i == 5 ? "not json" : GOOD.formatted(i, i)).append('\n');
    }
    Response r = submit("api=echo&batchSize=2&parallelism=3&maxRetries=1", items.toString());
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    String id = r.jsonPath().getString("id");
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(r.header("Location")).isEqualTo("/v1/jobs/" + id);
    assertThat(r.jsonPath().getString("api")).isEqualTo("echo");
    assertThat(r.jsonPath().getInt("batchSize")).isEqualTo(2);
    assertThat(r.jsonPath().getInt("parallelism")).isEqualTo(3);
    assertThat(r.jsonPath().getInt("maxRetries")).isEqualTo(1);
    assertThat(r.jsonPath().getString("input")).isEqualTo("local");
    assertThat(r.jsonPath().getString("createdAt")).isNotNull();

    JsonPath done = awaitStatus(id, "succeeded");
    assertThat(done.getMap("items"))
        .isEqualTo(Map.of("total", 7, "done", 7, "succeeded", 5, "failed", 2));
    assertThat(done.getString("finishedAt")).isNotNull();
    assertThat(done.getString("error")).isNull();

    String results =
        given()
            .get("/v1/jobs/" + id + "/results")
            .then()
            .statusCode(200)
            .contentType("application/x-ndjson")
            .extract()
            .asString();
    List<String> lines = results.lines().toList();
    assertThat(lines).hasSize(7);
    for (int i = 0; i < 7; i++) {
      JsonPath line = JsonPath.from(lines.get(i));
      assertThat(line.getInt("index")).isEqualTo(i);
      if (i == 3 || i == 5) {
        assertThat(line.getString("status")).isEqualTo("failed");
        assertThat(line.getString("error")).startsWith("INVALID_ARGUMENT");
      } else {
        assertThat(line.getString("status")).isEqualTo("succeeded");
        assertThat(line.getString("response.id")).isEqualTo("i" + i);
        assertThat(line.getList("response.outputs[0].data", Float.class))
            .containsExactly((float) i, 2.5f);
      }
    }
    List<String> failures =
        given()
            .get("/v1/jobs/" + id + "/failures")
            .then()
            .statusCode(200)
            .extract()
            .asString()
            .lines()
            .toList();
    assertThat(failures).hasSize(2);
    assertThat(JsonPath.from(failures.get(0)).getInt("index")).isEqualTo(3);
    assertThat(JsonPath.from(failures.get(0)).getString("error")).contains("shape");
    assertThat(JsonPath.from(failures.get(0)).getInt("attempts")).isZero();
    assertThat(JsonPath.from(failures.get(1)).getInt("index")).isEqualTo(5);

    String logs =
        given()
            .get("/v1/jobs/" + id + "/logs")
            .then()
            .statusCode(200)
            .contentType(containsString("text/plain"))
            .extract()
            .asString();
    assertThat(logs)
        .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z accepted: ")
        .contains("started: input read, 7 items in 4 chunks")
        .contains("item 3 failed: INVALID_ARGUMENT")
        .contains("finished: 7 items written, 5 succeeded, 2 failed");
    given().delete("/v1/jobs/" + id).then().statusCode(409);
  }

  @Test
  void transientFailuresAreRetriedThenTheItemFailsWithItsAttempts() {
    int before = FakePredictorsResource.failing.calls();
    String id = submit("api=failing&maxRetries=2", GOOD.formatted(0, 0)).jsonPath().getString("id");
    JsonPath done = awaitStatus(id, "succeeded");
    assertThat(done.getInt("items.failed")).isEqualTo(1);
    String failure =
        given().get("/v1/jobs/" + id + "/failures").then().statusCode(200).extract().asString();
    JsonPath line = JsonPath.from(failure.strip());
    assertThat(line.getInt("attempts")).isEqualTo(3);
    assertThat(line.getString("error")).contains("gave up after 3 tries");
    assertThat(FakePredictorsResource.failing.calls() - before).isEqualTo(3);
  }

  @Test
  void badParametersAreRefusedNamingTheField() {
    submit("api=echo&batchSize=0", GOOD.formatted(0, 0))
        .then()
        .statusCode(400)
        .body("error", containsString("batchSize"));
    submit("api=echo&parallelism=x", GOOD.formatted(0, 0))
        .then()
        .statusCode(400)
        .body("error", containsString("parallelism"));
    submit("api=echo&maxRetries=1000", GOOD.formatted(0, 0))
        .then()
        .statusCode(400)
        .body("error", containsString("maxRetries"));
    submit("batchSize=2", GOOD.formatted(0, 0))
        .then()
        .statusCode(400)
        .body("error", containsString("api"));
    submit("api=classifier", GOOD.formatted(0, 0))
        .then()
        .statusCode(400)
        .body("error", containsString("splitter"));
    submit("api=nope", GOOD.formatted(0, 0))
        .then()
        .statusCode(404)
        .body("error", containsString("nope"));
    given().get("/v1/jobs?limit=0").then().statusCode(400).body("error", containsString("limit"));
    // The JSON form names object storage only: never a file of the router's.
    for (String input : List.of("/etc/passwd", "file:///etc/passwd", "http://x/y")) {
      given()
          .contentType("application/json")
          .body("{\"api\":\"echo\",\"input\":\"" + input + "\",\"output\":\"s3://b/o.jsonl\"}")
          .post("/v1/jobs")
          .then()
          .statusCode(400)
          .body("error", containsString("input must be an s3://bucket/key URI"));
    }
    given()
        .contentType("application/json")
        .body("{\"api\":\"echo\",\"input\":\"s3://b/k.jsonl\"}")
        .post("/v1/jobs")
        .then()
        .statusCode(400)
        .body("error", containsString("output is required"));
    given()
        .contentType("application/json")
        .body(
            "{\"api\":\"echo\",\"input\":\"s3://b/k\",\"output\":\"s3://b/o\",\"batchSize\":\"9\"}")
        .post("/v1/jobs")
        .then()
        .statusCode(400)
        .body("error", containsString("batchSize must be an integer"));
  }

  @Test
  void anInputOverTheBoundIsRefusedWith413AndLeavesNoJob() {
    int jobsBefore = given().get("/v1/jobs?limit=1000").jsonPath().getList("jobs").size();
    String line = GOOD.formatted(0, 0) + "\n";
    String big = line.repeat(65 * 1024 / line.length() + 1);
    submit("api=echo", big).then().statusCode(413).body("error", containsString("max-input-bytes"));
    assertThat(given().get("/v1/jobs?limit=1000").jsonPath().getList("jobs")).hasSize(jobsBefore);
  }

  @Test
  void unknownJobsAre404() {
    given().get("/v1/jobs/0123456789abcdef0123456789abcdef").then().statusCode(404);
    given().get("/v1/jobs/not-an-id").then().statusCode(404);
    given().delete("/v1/jobs/0123456789abcdef0123456789abcdef").then().statusCode(404);
    given().get("/v1/jobs/0123456789abcdef0123456789abcdef/results").then().statusCode(404);
    given().get("/v1/jobs/0123456789abcdef0123456789abcdef/logs").then().statusCode(404);
  }

  @Test
  void tooManyUnfinishedJobsAre429AndCancelledOnesStillGetTheirFiles() {
    // "sleepy" has no replica: its jobs wait (and wake it), unfinished.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Response r = submit("api=sleepy", GOOD.formatted(i, i));
      assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
      ids.add(r.jsonPath().getString("id"));
    }
    submit("api=sleepy", GOOD.formatted(9, 9))
        .then()
        .statusCode(429)
        .header("Retry-After", "1")
        .body("error", containsString("max-unfinished-jobs"));
    JsonPath first = awaitStatus(ids.get(0), "running");
    assertThat(first.getInt("items.total")).isEqualTo(1);
    assertThat(first.getInt("items.done")).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> FakePredictorsResource.control.wakeUps().contains("sleepy"));
    given().get("/v1/jobs/" + ids.get(0) + "/results").then().statusCode(409);

    List<String> listed = given().get("/v1/jobs?limit=3").jsonPath().getList("jobs.id");
    assertThat(listed).containsExactly(ids.get(2), ids.get(1), ids.get(0));

    for (String id : ids) {
      given()
          .delete("/v1/jobs/" + id)
          .then()
          .statusCode(200)
          .body("status", is("cancelled"))
          .body("finishedAt", org.hamcrest.Matchers.notNullValue());
    }
    given().delete("/v1/jobs/" + ids.get(0)).then().statusCode(409);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> given().get("/v1/jobs/" + ids.get(0) + "/results").statusCode() == 200);
    given().get("/v1/jobs/" + ids.get(0) + "/results").then().body(equalTo(""));
    assertThat(given().get("/v1/jobs/" + ids.get(0) + "/logs").asString())
        .contains("cancelled: no new item starts");
    submit("api=echo", GOOD.formatted(1, 1)).then().statusCode(201).body("error", nullValue());
    awaitStatus(started.get(started.size() - 1), "succeeded");
  }
}
