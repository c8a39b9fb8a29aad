package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.serval.client.ServalClient;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.ModelMetadata;
import io.serval.client.v2.ServalConnectionException;
import io.serval.client.v2.ServalException;
import io.serval.client.v2.ServalTimeoutException;
import io.serval.client.v2.Tensor;
import io.serval.it.client.ApiSpec;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ReplicaRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18, the Java client (client/, serval-client) against the real router with API keys on, over
 * REST (JSON and binary) and gRPC, in PythonClientIT's scenarios and three more: a burst four times
 * the capacity of a slow API (without retries part of it is refused, with them every caller gets
 * its answer, and the replica ran each request once), a replica SIGKILLed under load, and the
 * router restarted under load. In the last two the callers see only the failures that no retry
 * could safely avoid (a request the router had started), and the router's and predictors' counts
 * show that no request that had started was sent again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaClientIT {

  static final String KEY = "java-key-1";
  static final int ADD_WIDTH = 4;
  static final int SLOW_WIDTH = 256;

  /** One replica running one request, three queued: the fifth caller at once is refused. */
  static final int SLOW_CONCURRENCY = 1;

  static final int SLOW_QUEUE = 3;

  static final int RESILIENT_REPLICAS = 2;
  static final int RESILIENT_CONCURRENCY = 4;

  /** Callers of the load scenarios: half over REST, half over gRPC. */
  static final int LOAD_CALLERS = 8;

  // The replicas count by protocol and code (docs/observability.md): the router forwards over gRPC,
  // so a replica's successes are code="OK".
  static final String SUCCESS = "code=\"OK\"";

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.builder("JavaClientIT").apiKeys(KEY).start();
    platform
        .management()
        .deploy(
            ApiSpec.documents(
                ApiSpec.api("add")
                    .model(platform.models().addFp32("add.onnx", ADD_WIDTH))
                    .replicas(1)
                    .yaml(),
                ApiSpec.api("bounded")
                    // ~4.3e9 multiply-adds per request: hundreds of milliseconds on one thread.
                    .model(platform.models().slow("slow.onnx", SLOW_WIDTH, 4096, 16))
                    .traffic(SLOW_CONCURRENCY, SLOW_QUEUE, "120s")
                    .replicas(1)
                    .yaml(),
                ApiSpec.api("resilient")
                    .model(platform.models().addFp32("resilient.onnx", ADD_WIDTH))
                    .traffic(RESILIENT_CONCURRENCY, 1000, "30s")
                    .replicas(RESILIENT_REPLICAS)
                    .yaml()));
    for (String api : List.of("add", "bounded", "resilient")) {
      platform.management().awaitReady(api, Duration.ofSeconds(120));
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static ServalClient.Builder rest() {
    return ServalClient.rest(platform.routerHttpUrl()).apiKey(KEY);
  }

  static ServalClient.Builder grpc() {
    return ServalClient.grpc(platform.routerGrpcTarget()).apiKey(KEY);
  }

  /** A client that rides out a restart: many retries, short backoff, a long deadline. */
  static ServalClient.Builder patient(ServalClient.Builder b) {
    return b.attemptTimeout(Duration.ofSeconds(60))
        .deadline(Duration.ofSeconds(150))
        .retries(200)
        .backoff(Duration.ofMillis(50))
        .maxBackoff(Duration.ofSeconds(1));
  }

  static List<Tensor> addInputs(float[] a, float[] b) {
    long[] shape = {1, ADD_WIDTH};
    return List.of(Tensor.floats("a", shape, a), Tensor.floats("b", shape, b));
  }

  static List<Tensor> slowInputs() {
    float[] x = new float[SLOW_WIDTH];
    for (int i = 0; i < x.length; i++) {
      x[i] = i * 0.25f;
    }
    return List.of(Tensor.floats("x", new long[] {1, SLOW_WIDTH}, x));
  }

  @Test
  @Order(1)
  void theJavaClientPredictsOverRestJsonBinaryAndGrpc() {
    float[] a = {0f, 1f, 2f, 3f};
    float[] b = {0f, 0.5f, 1f, 1.5f};
    float[] sum = {0f, 1.5f, 3f, 4.5f};
    for (ServalClient.Builder builder : List.of(rest(), rest().binary(true), grpc())) {
      try (ServalClient client = builder.build()) {
        InferResult r = client.infer("add", addInputs(a, b));
        assertThat(r.output("sum").floats()).as(client.target()).containsExactly(sum);
        assertThat(r.output("sum").shape()).containsExactly(1, ADD_WIDTH);
        assertThat(r.modelName()).isEqualTo("add");
        assertThat(r.revision()).as("the router names the revision that served it").isPresent();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(client.ready("add")).isTrue();
        assertThat(client.ready("no-such-api")).isFalse();
        ModelMetadata meta = client.metadata("add");
        assertThat(meta.name()).isEqualTo("add");
        assertThat(meta.inputs())
            .extracting(ModelMetadata.TensorMetadata::name)
            .containsExactlyInAnyOrder("a", "b");
      }
    }
  }

  @Test
  @Order(2)
  void aWrongKeyIsATyped401AndNotRetried() {
    for (ServalClient.Builder builder :
        List.of(
            ServalClient.rest(platform.routerHttpUrl()).apiKey("not-a-key"),
            ServalClient.grpc(platform.routerGrpcTarget()).apiKey("not-a-key"))) {
      try (ServalClient client = builder.build()) {
        ServalException e =
            catchThrowableOfType(
                ServalException.class,
                () -> client.infer("add", addInputs(new float[4], new float[4])));
        assertThat(e.status()).as(client.target()).isEqualTo(401);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.message()).contains("API key");
      }
    }
  }

  @Test
  @Order(3)
  void badInputIsATyped400WithTheRoutersText() {
    long[] shape = {1, ADD_WIDTH};
    List<Tensor> wrongType =
        List.of(Tensor.int64s("a", shape, 0, 1, 2, 3), Tensor.int64s("b", shape, 0, 1, 2, 3));
    for (ServalClient.Builder builder : List.of(rest(), grpc())) {
      try (ServalClient client = builder.build()) {
        ServalException e =
            catchThrowableOfType(ServalException.class, () -> client.infer("add", wrongType));
        assertThat(e.status()).as(client.target()).isEqualTo(400);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.message().toLowerCase()).contains("datatype");
      }
    }
  }

  /** What a group of callers got. */
  record Calls(List<InferResult> results, List<ServalException> errors) {}

  /** {@code callers} threads send one request each at once. */
  static Calls burst(ServalClient client, String model, List<Tensor> inputs, int callers)
      throws InterruptedException {
    List<InferResult> results = Collections.synchronizedList(new ArrayList<>());
    List<ServalException> errors = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
      for (int i = 0; i < callers; i++) {
        pool.submit(
            () -> {
              go.await();
              try {
                results.add(client.infer(model, inputs));
              } catch (ServalException e) {
                errors.add(e);
              }
              return null;
            });
      }
      go.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(180, TimeUnit.SECONDS))
          .as("every caller done within 180 s")
          .isTrue();
    }
    return new Calls(List.copyOf(results), List.copyOf(errors));
  }

  static double predictorSuccesses(String api) {
    double sum = 0;
    for (ReplicaRecord r : platform.replicas(api)) {
      sum += platform.replicaMetric(r, "serval_predictor_requests_total", SUCCESS);
    }
    return sum;
  }

  /**
   * The replicas' success count once it stopped moving: a replica counts a request just after
   * answering it, so a count read as the last answer arrives may still miss it.
   */
  static double settledPredictorSuccesses(String api) {
    AtomicReference<Double> last = new AtomicReference<>(-1.0);
    await("the replicas' count of " + api + " settled")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              double now = predictorSuccesses(api);
              return now == last.getAndSet(now);
            });
    return last.get();
  }

  @Test
  @Order(4)
  void aFullQueueCostsTheCallersNoError() throws InterruptedException {
    int callers = 4 * (SLOW_CONCURRENCY + SLOW_QUEUE);
    List<Tensor> inputs = slowInputs();
    float[] expected = inputs.getFirst().floats();
    for (ServalClient.Builder transport : List.of(rest(), grpc())) {
      int refusedCount;
      // Without retries the same burst is refused in part: the queue really is full, so the
      // retrying run below is a test that could fail.
      try (ServalClient bare =
          transport
              .attemptTimeout(Duration.ofSeconds(120))
              .deadline(Duration.ofSeconds(120))
              .retries(0)
              .build()) {
        bare.infer("bounded", inputs); // warm: the first run of a model is slower
        Calls refused = burst(bare, "bounded", inputs, callers);
        assertThat(refused.errors())
            .as("a burst of %d must overflow the queue", callers)
            .isNotEmpty();
        assertThat(refused.errors()).extracting(ServalException::status).containsOnly(503);
        refusedCount = refused.errors().size();
      }
      double before = settledPredictorSuccesses("bounded");
      Calls calls;
      try (ServalClient retrying =
          transport
              .attemptTimeout(Duration.ofSeconds(120))
              .deadline(Duration.ofSeconds(150))
              .retries(30)
              .build()) {
        calls = burst(retrying, "bounded", inputs, callers);
      }
      assertThat(calls.errors()).extracting(Throwable::getMessage).isEmpty();
      assertThat(calls.results()).hasSize(callers);
      assertThat(calls.results())
          .extracting(InferResult::attempts)
          .as("the queue was full: some caller was retried")
          .anySatisfy(n -> assertThat(n).isGreaterThan(1));
      for (InferResult r : calls.results()) {
        assertThat(r.output("y").floats()).containsExactly(expected);
      }
      // Each caller's request ran exactly once on the replica: the refused attempts never reached
      // it, and no started request was sent again.
      await("the replica counted every answer")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(predictorSuccesses("bounded") - before).isEqualTo(callers));
      System.out.printf(
          "[burst of %d] without retries: %d refused; with retries all answered, attempts per"
              + " caller %s%n",
          callers,
          refusedCount,
          calls.results().stream().map(InferResult::attempts).sorted().toList());
    }
  }

  @Test
  @Order(5)
  void theDeadlineEndsRetriesWithAClearError() throws InterruptedException {
    int callers = 4 * (SLOW_CONCURRENCY + SLOW_QUEUE);
    try (ServalClient hurried =
        rest()
            .attemptTimeout(Duration.ofMillis(1500))
            .deadline(Duration.ofMillis(1500))
            .retries(30)
            .build()) {
      Calls calls = burst(hurried, "bounded", slowInputs(), callers);
      assertThat(calls.errors())
          .as("a 1.5 s deadline cannot serve a burst of %d", callers)
          .isNotEmpty();
      for (ServalException e : calls.errors()) {
        // The last answer (503 after retries), the router's 504 for a request whose deadline
        // passed in its queue, or the client's own timeout: each says what happened.
        assertThat(e.status() == 503 || e.status() == 504 || e instanceof ServalTimeoutException)
            .as(e.toString())
            .isTrue();
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  /** Callers sending requests in a loop until stopped; half REST, half gRPC. */
  static final class Load implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong answered = new AtomicLong();
    final List<ServalException> errors = Collections.synchronizedList(new ArrayList<>());
    final List<Long> errorNanos = Collections.synchronizedList(new ArrayList<>());
    final ExecutorService pool = Executors.newFixedThreadPool(LOAD_CALLERS);
    final List<Future<?>> callers = new ArrayList<>();
    final List<ServalClient> clients = new ArrayList<>();

    Load(String api, Supplier<ServalClient.Builder> restB, Supplier<ServalClient.Builder> grpcB) {
      for (int i = 0; i < LOAD_CALLERS; i++) {
        ServalClient client = (i % 2 == 0 ? restB : grpcB).get().build();
        clients.add(client);
        float[] a = {i, i + 1, i + 2, i + 3};
        float[] b = {0.5f, 0.5f, 0.5f, 0.5f};
        callers.add(
            pool.submit(
                () -> {
                  while (running.get()) {
                    try {
                      InferResult r = client.infer(api, addInputs(a, b));
                      assertThat(r.output("sum").floats()[0]).isEqualTo(a[0] + 0.5f);
                      answered.incrementAndGet();
                    } catch (ServalException e) {
                      synchronized (errors) {
                        errors.add(e);
                        errorNanos.add(System.nanoTime());
                      }
                    }
                  }
                  return null;
                }));
      }
    }

    void awaitAnswers(long n) {
      await("load reached " + n + " answers")
          .atMost(Duration.ofSeconds(120))
          .until(() -> answered.get() >= n);
    }

    /** Stops the callers; returns the answers. */
    long stop() throws Exception {
      running.set(false);
      for (Future<?> f : callers) {
        f.get(180, TimeUnit.SECONDS);
      }
      return answered.get();
    }

    @Override
    public void close() {
      running.set(false);
      pool.shutdownNow();
      clients.forEach(ServalClient::close);
    }
  }

  /**
   * The router's count of answers with gRPC {@code code} to gRPC callers plus its HTTP equivalent
   * to REST callers (the router labels each protocol's answers in its own terms).
   */
  static double routerCount(String api, String code) {
    String http =
        switch (code) {
          case "OK" -> "200";
          case "INTERNAL" -> "500";
          default -> throw new IllegalArgumentException(code);
        };
    return platform.routerMetric(
            "serval_router_requests_total", "api=\"" + api + "\",code=\"" + code + "\"")
        + platform.routerMetric(
            "serval_router_requests_total", "api=\"" + api + "\",code=\"" + http + "\"");
  }

  @Test
  @Order(6)
  void aReplicaKilledMidLoadCostsOnlyTheRequestsItWasRunning() throws Exception {
    String api = "resilient";
    ReplicaRecord victim = platform.replicas(api).getFirst();
    double okBefore = routerCount(api, "OK");
    double internalBefore = routerCount(api, "INTERNAL");
    long answered;
    List<ServalException> errors;
    try (Load load = new Load(api, () -> patient(rest()), () -> patient(grpc()))) {
      load.awaitAnswers(200);
      ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly(); // SIGKILL
      load.awaitAnswers(load.answered.get() + 300);
      answered = load.stop();
      errors = List.copyOf(load.errors);
    }
    System.out.printf(
        "[replica SIGKILL] %d answered, %d failed: %s%n",
        answered, errors.size(), errors.stream().map(Throwable::getMessage).toList());
    // Only requests already running on the killed replica may fail: the router answers them 500
    // (it may have run them) and the client does not send them again. Everything else a retry
    // could fix was retried.
    assertThat(errors).allSatisfy(e -> assertThat(e.status()).as(e.toString()).isEqualTo(500));
    assertThat(errors.size()).isLessThanOrEqualTo(RESILIENT_CONCURRENCY);
    // The router answered each success once and each 500 once: no caller sent a started request
    // again (a replayed 500 would show as a second INTERNAL or an extra OK).
    await("the router counted every answer")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(routerCount(api, "OK") - okBefore).isEqualTo(answered);
              assertThat(routerCount(api, "INTERNAL") - internalBefore).isEqualTo(errors.size());
            });
  }

  @Test
  @Order(7)
  void aRestartedRouterCostsTheCallersNoErrorARetryCouldHaveAvoided() throws Exception {
    String api = "add";
    double before = settledPredictorSuccesses(api);
    long answered;
    long down;
    long up;
    List<ServalException> errors;
    List<Long> errorNanos;
    try (Load load = new Load(api, () -> patient(rest()), () -> patient(grpc()))) {
      load.awaitAnswers(200);
      down = System.nanoTime();
      platform.restartRouter(); // SIGTERM, start again, ready
      up = System.nanoTime();
      load.awaitAnswers(load.answered.get() + 300);
      answered = load.stop();
      synchronized (load.errors) {
        errors = List.copyOf(load.errors);
        errorNanos = List.copyOf(load.errorNanos);
      }
    }
    double ran = settledPredictorSuccesses(api) - before;
    System.out.printf(
        "[router restart] %d answered, %d failed after sending (%d of them had run on the"
            + " replica); kinds: %s%n",
        answered,
        errors.size(),
        (long) ran - answered,
        errors.stream()
            .map(e -> e.getClass().getSimpleName() + " " + e.grpcCode().orElse("REST"))
            .distinct()
            .toList());
    // While it was down, connections were refused: retried until it was back, invisible to the
    // callers. The failures are requests that reached the router as it went down (it accepted the
    // connection, then closed it, or answered 500): the client cannot tell whether the router had
    // started them (the
    // replica's count shows it had started some), so it does not send them again.
    //
    // A router that has just started has no routes until the operator's arrive: it answers 503
    // (UNAVAILABLE) meanwhile, which the client retries, so no caller sees it (it used to be 404,
    // which is final: UnknownTarget).
    // The stopping router also answers the requests it was forwarding with 500 (INTERNAL): it
    // had started them on the replica, so they are not sent again either.
    assertThat(errors)
        .allSatisfy(
            e -> {
              if (e.status() == 500) {
                assertThat(e.message()).as(e.toString()).contains("while running it");
              } else {
                assertThat(e)
                    .as(e.toString())
                    .isInstanceOfAny(ServalConnectionException.class, ServalTimeoutException.class)
                    .hasMessageContaining("may have started it");
              }
            });
    assertThat(errorNanos)
        .as("failures only while the router went down and came back")
        .allSatisfy(t -> assertThat(t).isBetween(down, up));
    // No request ran twice: the replica ran every answered request once, and at most the failed
    // ones besides.
    assertThat(ran).isBetween((double) answered, (double) answered + errors.size());
  }
}
