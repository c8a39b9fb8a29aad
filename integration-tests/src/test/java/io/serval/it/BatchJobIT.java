package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.it.client.ApiSpec;
import io.serval.it.client.HttpAnswer;
import io.serval.it.client.Inputs;
import io.serval.it.client.V2Requests;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ReplicaRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, batch jobs: a job of N items (1% poison: shapes that do not match their data) through a
 * real router and predictor, the router SIGKILLed in the middle and started again on the same store
 * and job directory. The job ends with exact counts: N result lines in index order, the valid ones
 * with the answer the realtime path gives, the poison ones failed with the reason; the failures
 * file holds the poison items only. The predictor's request counter shows that no chunk committed
 * before the kill ran again: at most the chunks the dead router held ran twice.
 *
 * <p>So that the kill lands in the middle whatever the machine's speed, the predictor is paused
 * (SIGSTOP) once a tenth of the items are done; the router is killed while it holds chunks whose
 * items wait on it; the predictor goes on (SIGCONT) and the restarted router takes those chunks
 * again once their leases run out.
 */
class BatchJobIT {
  static final String API = "batched";
  static final int WIDTH = 4;
  static final int INPUTS = 16;
  static final int ITEMS = Integer.getInteger("batch.it.items", 10_000);
  static final int BATCH_SIZE = 100;
  static final int PARALLELISM = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  static Platform platform;

  @BeforeAll
  static void start() throws IOException {
    Path state = Files.createTempDirectory("serval-batch-it");
    platform =
        Platform.builder("BatchJobIT")
            .routerProperty(
                "serval.router.async.store.sqlite-file", state.resolve("serval.db").toString())
            .routerProperty("serval.router.batch.jobs-directory", state.resolve("jobs").toString())
            // A killed router's chunks wait out their lease before they are taken again.
            .routerProperty("serval.router.batch.lease", "3s")
            .routerProperty("serval.router.batch.poll-interval", "20ms")
            .start();
    platform
        .management()
        .deploy(
            ApiSpec.api(API)
                .model(platform.models().addFp32("batched.onnx", WIDTH))
                .traffic(8, 1000, "10s")
                .replicas(1)
                .yaml());
    platform.management().awaitReady(API, Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static boolean poison(int i) {
    return i % 100 == 37;
  }

  @Test
  void exactCountsThroughARouterCrashAndNoCommittedChunkRunsAgain() throws Exception {
    List<String> bodies = new ArrayList<>();
    Map<Integer, JsonNode> realtime = new HashMap<>();
    for (int i = 0; i < INPUTS; i++) {
      String body = V2Requests.json(Inputs.add(WIDTH, i));
      bodies.add(body);
      HttpAnswer a = platform.http().inferJson(API, body);
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      realtime.put(i, JSON.readTree(a.body()).get("outputs"));
    }
    StringBuilder input = new StringBuilder();
    int poisoned = 0;
    for (int i = 0; i < ITEMS; i++) {
      if (poison(i)) {
        poisoned++;
        input.append(
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,5],"
                + "\"data\":[1,2,3,4]}]}\n");
      } else {
        input.append(bodies.get(i % INPUTS).strip()).append('\n');
      }
    }
    double before = predictorRequests();

    long t0 = System.nanoTime();
    HttpAnswer submitted =
        platform
            .http()
            .post(
                "/v1/jobs?api="
                    + API
                    + "&batchSize="
                    + BATCH_SIZE
                    + "&parallelism="
                    + PARALLELISM
                    + "&maxRetries=3",
                input.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-ndjson"));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(201);
    String id = JSON.readTree(submitted.body()).get("id").asText();

    await("a tenth of the items done")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> job(id).get("items").get("done").asLong() >= ITEMS / 10);
    List<ProcessHandle> predictors = platform.predictorProcesses();
    signal("STOP", predictors);
    JsonNode atKill = job(id);
    long doneAtKill = atKill.get("items").get("done").asLong();
    System.out.printf(
        "[batch] %d of %d items done %d ms after the submit; killing the router%n",
        doneAtKill, ITEMS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    assertThat(doneAtKill).as("the kill lands in the middle").isLessThan(ITEMS);
    platform.killRouter();
    signal("CONT", predictors);
    platform.startRouterAgain();

    await("the job finished")
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !List.of("pending", "running").contains(job(id).get("status").asText()));
    System.out.printf(
        "[batch] finished %d ms after the submit%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    JsonNode done = job(id);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(done.get("items").get("total").asLong()).isEqualTo(ITEMS);
    assertThat(done.get("items").get("done").asLong()).isEqualTo(ITEMS);
    assertThat(done.get("items").get("succeeded").asLong()).isEqualTo(ITEMS - poisoned);
    assertThat(done.get("items").get("failed").asLong()).isEqualTo(poisoned);

    HttpAnswer results = platform.http().get("/v1/jobs/" + id + "/results");
    assertThat(results.status()).isEqualTo(200);
    List<String> lines = results.text().lines().toList();
    assertThat(lines).hasSize(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      JsonNode line = JSON.readTree(lines.get(i));
      assertThat(line.get("index").asInt()).isEqualTo(i);
      if (poison(i)) {
        assertThat(line.get("status").asText()).isEqualTo("failed");
        assertThat(line.get("error").asText()).startsWith("INVALID_ARGUMENT");
      } else {
        assertThat(line.get("status").asText()).as(lines.get(i)).isEqualTo("succeeded");
        assertThat(line.get("response").get("outputs"))
            .as("item %d", i)
            .isEqualTo(realtime.get(i % INPUTS));
      }
    }
    List<String> failures =
        platform.http().get("/v1/jobs/" + id + "/failures").text().lines().toList();
    assertThat(failures).hasSize(poisoned);
    for (int k = 0; k < poisoned; k++) {
      JsonNode f = JSON.readTree(failures.get(k));
      assertThat(f.get("index").asInt()).isEqualTo(k * 100 + 37);
      assertThat(f.get("error").asText()).contains("shape");
      assertThat(f.get("attempts").asInt()).isZero();
    }

    // Every valid item reached the predictor; again only those of the chunks the dead router held
    // (at most three: parallelism 8 keeps one chunk going, one read ahead and one whose part was
    // being written), never a committed one.
    double sent = predictorRequests() - before;
    System.out.printf(
        "[batch] predictor requests: %.0f for %d valid items%n", sent, ITEMS - poisoned);
    assertThat(sent)
        .isBetween((double) (ITEMS - poisoned), (double) (ITEMS - poisoned + 3 * BATCH_SIZE));
    assertThat(platform.http().get("/v1/jobs/" + id + "/logs").text())
        .contains("resumed at item")
        .contains("finished: " + ITEMS + " items written");
  }

  private static JsonNode job(String id) throws IOException {
    HttpAnswer a = platform.http().get("/v1/jobs/" + id);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return JSON.readTree(a.body());
  }

  private static double predictorRequests() {
    double sum = 0;
    for (ReplicaRecord r : platform.replicas(API)) {
      if (r.alive()) {
        sum += platform.replicaMetric(r, "serval_predictor_requests_total", "");
      }
    }
    return sum;
  }

  private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
    for (ProcessHandle p : processes) {
      if (!p.isAlive()) {
        continue;
      }
      int rc =
          new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
              .inheritIO()
              .start()
              .waitFor();
      assertThat(rc).as("kill -%s %d", signal, p.pid()).isZero();
    }
  }
}
