package io.serval.router.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.serval.objects.ObjectStores;
import io.serval.objects.S3Settings;
import io.serval.objects.UploadStream;
import io.serval.objects.testing.S3ProxyServer;
import io.serval.router.fakes.FakePredictorsResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Batch jobs whose input and outputs are in object storage: a real S3-compatible server (s3proxy,
 * the object-storage module's fixture), reached with serval.s3.* as a deployment would set it.
 */
@QuarkusTest
@QuarkusTestResource(FakePredictorsResource.class)
@TestProfile(BatchObjectStorageTest.WithS3.class)
class BatchObjectStorageTest {
  static S3ProxyServer s3;
  static S3Settings settings;

  public static class WithS3 implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(S3.class));
    }
  }

  /** Starts s3proxy with a bucket and points the router at it. */
  public static class S3 implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      s3 = new S3ProxyServer().start();
      s3.createBucket("jobs");
      try {
        settings = s3.settings(Files.createTempDirectory("serval-batch-s3").resolve("secrets"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "serval.s3.endpoint", s3.endpoint().toString(),
          "serval.s3.path-style", "true",
          "serval.s3.access-key-id-file", settings.accessKeyIdFile().orElseThrow().toString(),
          "serval.s3.secret-access-key-file",
              settings.secretAccessKeyFile().orElseThrow().toString());
    }

    @Override
    public void stop() {
      s3.close();
    }
  }

  private static final String GOOD =
      "{\"id\":\"i%d\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],"
          + "\"data\":[%d.0]}]}\n";

  private static void put(String uri, String text) throws IOException {
    try (ObjectStores objects = new ObjectStores(settings);
        UploadStream out = objects.create(URI.create(uri))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(String uri) throws IOException {
    try (ObjectStores objects = new ObjectStores(settings);
        InputStream in = objects.open(URI.create(uri))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonPath awaitFinished(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                List.of("succeeded", "failed")
                    .contains(given().get("/v1/jobs/" + id).jsonPath().getString("status")));
    return given().get("/v1/jobs/" + id).jsonPath();
  }

  @Test
  void aJobReadsItsInputFromObjectStorageAndWritesItsFilesThere() throws IOException {
    put("s3://jobs/in/items.jsonl", GOOD.formatted(0, 0) + "garbage\n" + GOOD.formatted(2, 2));

    Response r =
        given()
            .contentType("application/json")
            .body(
                "{\"api\":\"echo\",\"input\":\"s3://jobs/in/items.jsonl\","
                    + "\"output\":\"s3://jobs/out/results.jsonl\",\"batchSize\":2}")
            .post("/v1/jobs");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    assertThat(r.jsonPath().getString("input")).isEqualTo("s3://jobs/in/items.jsonl");
    assertThat(r.jsonPath().getString("failures"))
        .isEqualTo("s3://jobs/out/results.failures.jsonl");
    String id = r.jsonPath().getString("id");

    JsonPath done = awaitFinished(id);
    assertThat(done.getString("status")).isEqualTo("succeeded");
    assertThat(done.getInt("items.succeeded")).isEqualTo(2);
    assertThat(done.getInt("items.failed")).isEqualTo(1);
    List<String> results = read("s3://jobs/out/results.jsonl").lines().toList();
    assertThat(results).hasSize(3);
    assertThat(JsonPath.from(results.get(0)).getString("response.id")).isEqualTo("i0");
    assertThat(JsonPath.from(results.get(1)).getString("status")).isEqualTo("failed");
    assertThat(JsonPath.from(results.get(2)).getString("response.id")).isEqualTo("i2");
    assertThat(read("s3://jobs/out/results.failures.jsonl")).startsWith("{\"index\":1,");
    // The files are in object storage: read them there.
    given().get("/v1/jobs/" + id + "/results").then().statusCode(404);
  }

  @Test
  void aMissingInputFailsTheJobWithTheReason() {
    Response r =
        given()
            .contentType("application/json")
            .body(
                "{\"api\":\"echo\",\"input\":\"s3://jobs/none.jsonl\","
                    + "\"output\":\"s3://jobs/out/x.jsonl\",\"failures\":\"s3://jobs/out/f.jsonl\"}")
            .post("/v1/jobs");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    JsonPath done = awaitFinished(r.jsonPath().getString("id"));
    assertThat(done.getString("status")).isEqualTo("failed");
    assertThat(done.getString("error")).startsWith("cannot read the input").contains("none.jsonl");
    given().get("/v1/jobs/" + r.jsonPath().getString("id") + "/results").then().statusCode(404);
  }
}
