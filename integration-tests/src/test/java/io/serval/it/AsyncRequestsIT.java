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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, async requests: N async requests through a real router and predictor on the embedded
 * SQLite store; the router is SIGKILLed while they run and started again on the same store; every
 * request ends succeeded, with the answer the realtime path gives for the same input.
 *
 * <p>So that the kill lands in the middle whatever the machine's speed, the predictor is paused
 * (SIGSTOP) while the requests are accepted: the router then holds claims on the requests it has
 * sent (running, under lease) and the rest wait (pending) when it is killed; the predictor goes on
 * (SIGCONT) and the restarted router takes both.
 */
class AsyncRequestsIT {
  static final String API = "later";
  static final int WIDTH = 4;

  /** Distinct inputs; request i sends input i % INPUTS. */
  static final int INPUTS = 16;

  static final int REQUESTS = Integer.getInteger("async.it.requests", 2000);
  private static final ObjectMapper JSON = new ObjectMapper();

  static Platform platform;
  static Path storeDir;

  @BeforeAll
  static void start() throws IOException {
    storeDir = Files.createTempDirectory("serval-async-it");
    platform =
        Platform.builder("AsyncRequestsIT")
            .routerProperty(
                "serval.router.async.store.sqlite-file",
                storeDir.resolve("async-requests.db").toString())
            // A killed router's running requests wait out their lease before they are taken again.
            .routerProperty("serval.router.async.lease", "3s")
            .routerProperty("serval.router.async.poll-interval", "20ms")
            .start();
    platform
        .management()
        .deploy(
            ApiSpec.api(API)
                .model(platform.models().addFp32("later.onnx", WIDTH))
                .traffic(8, 1000, "10s")
                .replicas(2)
                .yaml());
    platform.management().awaitReady(API, Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void everyRequestSucceedsOnceThroughARouterCrash() throws Exception {
    List<String> bodies = new ArrayList<>();
    Map<Integer, JsonNode> realtime = new HashMap<>();
    for (int i = 0; i < INPUTS; i++) {
      String body = V2Requests.json(Inputs.add(WIDTH, i));
      bodies.add(body);
      HttpAnswer a = platform.http().inferJson(API, body);
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      realtime.put(i, JSON.readTree(a.body()).get("outputs"));
    }

    List<ProcessHandle> predictors = platform.predictorProcesses();
    assertThat(predictors).isNotEmpty();
    signal("STOP", predictors);
    long t0 = System.nanoTime();
    Map<Integer, String> locations = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> submitted = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        int n = i;
        submitted.add(
            clients.submit(
                () -> {
                  HttpAnswer a =
                      platform
                          .http()
                          .post(
                              "/v2/models/" + API + "/infer",
                              bodies.get(n % INPUTS).getBytes(),
                              Map.of(
                                  "Content-Type", "application/json", "Prefer", "respond-async"));
                  assertThat(a.status()).as(a.text()).isEqualTo(202);
                  locations.put(n, a.headers().firstValue("Location").orElseThrow());
                }));
      }
      for (Future<?> f : submitted) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    System.out.printf(
        "[async] %d requests accepted in %d ms%n",
        REQUESTS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

    // Kill the router while the backlog runs (or right after it was accepted, on a fast machine).
    Map<String, Integer> states = states(locations);
    System.out.printf("[async] before the kill: %s%n", states);
    assertThat(states).as("the kill lands in the middle").containsKeys("running", "pending");
    platform.killRouter();
    signal("CONT", predictors);
    System.out.println("[async] router SIGKILLed, predictor resumed");
    platform.startRouterAgain();

    await("every async request finished")
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> succeeded(locations) == REQUESTS);
    System.out.printf(
        "[async] all %d succeeded %d ms after the first submit%n",
        REQUESTS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

    for (Map.Entry<Integer, String> e : locations.entrySet()) {
      HttpAnswer a = platform.http().get(e.getValue());
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.headers().firstValue("Serval-Async-Status")).hasValue("succeeded");
      assertThat(JSON.readTree(a.body()).get("outputs"))
          .as("request %d", e.getKey())
          .isEqualTo(realtime.get(e.getKey() % INPUTS));
    }
  }

  /** How many requests are in each state. */
  private static Map<String, Integer> states(Map<Integer, String> locations) {
    Map<String, Integer> states = new java.util.TreeMap<>();
    for (String location : locations.values()) {
      String status =
          platform.http().get(location).headers().firstValue("Serval-Async-Status").orElse("?");
      states.merge(status, 1, Integer::sum);
    }
    return states;
  }

  /** Sends SIGSTOP or SIGCONT to the processes. */
  private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
    for (ProcessHandle p : processes) {
      if (!p.isAlive()) {
        continue; // replaced by the operator meanwhile: nothing to resume
      }
      int rc =
          new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
              .inheritIO()
              .start()
              .waitFor();
      assertThat(rc).as("kill -%s %d", signal, p.pid()).isZero();
    }
  }

  /** Locations seen succeeded (a result, once written, stays until it expires). */
  private static final java.util.Set<String> DONE = ConcurrentHashMap.newKeySet();

  /** How many of the requests have succeeded; any failed one fails the test at once. */
  private static long succeeded(Map<Integer, String> locations) {
    for (String location : locations.values()) {
      if (DONE.contains(location)) {
        continue;
      }
      HttpAnswer a = platform.http().get(location);
      String status = a.headers().firstValue("Serval-Async-Status").orElse("?");
      assertThat(status).as("%s: %s", location, a.text()).isNotIn("failed", "cancelled");
      if (status.equals("succeeded")) {
        DONE.add(location);
      }
    }
    return DONE.size();
  }
}
