package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.it.client.ApiSpec;
import io.serval.it.client.HttpAnswer;
import io.serval.it.client.Inputs;
import io.serval.it.client.Tensor;
import io.serval.it.client.V2GrpcClient.GrpcAnswer;
import io.serval.it.client.V2Requests;
import io.serval.it.otlp.OtlpTraceReceiver;
import io.serval.it.otlp.ReceivedSpan;
import io.serval.it.platform.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, traces and logs, on the packaged platform: router and predictor replicas export spans
 * over OTLP/gRPC to a receiver in this test; one trace per request from the router's server span to
 * the predictor's ONNX Runtime run, with the client's {@code traceparent} continued when it sent
 * one (REST and gRPC). The router also logs JSON with the request's id, API and revision.
 */
class TracingIT {
  static final String KEY = "it-secret-key-3f9d";
  static final String API = "traced";
  static final int WIDTH = 4;

  /** A value no span attribute could hold by chance: the request's tensor must not leave. */
  static final float MARKER = 7777.25f;

  /**
   * Spans of one trace are stamped by different clocks (two processes, each SDK's anchored clock,
   * the engine's own): a child may seem to start or end this much outside its parent.
   */
  static final long CLOCK_SLACK_NANOS = 2_000_000;

  static OtlpTraceReceiver receiver;
  static Platform platform;

  @BeforeAll
  static void start() {
    receiver = new OtlpTraceReceiver();
    String endpoint = receiver.endpoint();
    platform =
        Platform.builder("TracingIT")
            .apiKeys(KEY)
            // The one setting that turns tracing on (docs/observability.md); a short export delay
            // so the test need not wait the default 5 s.
            .routerProperty("quarkus.otel.exporter.otlp.endpoint", endpoint)
            .routerProperty("quarkus.otel.bsp.schedule.delay", "100ms")
            .routerProperty("quarkus.log.console.json.enabled", "true")
            .routerProperty("quarkus.log.category.\"io.serval.router\".level", "DEBUG")
            // Every body through the codec threads: the MDC must survive the hop back.
            .routerProperty("serval.router.limits.offload-codec-above", "16")
            .routerProperty("quarkus.http.access-log.enabled", "true")
            .replicaProperty("quarkus.otel.exporter.otlp.endpoint", endpoint)
            .replicaProperty("quarkus.otel.bsp.schedule.delay", "100ms")
            .start();
    platform
        .management()
        .deploy(
            ApiSpec.api(API)
                .model(platform.models().addFp32("traced.onnx", WIDTH))
                // one request at a time on the one replica: concurrent requests queue, so the
                // queue-wait span can be seen (a request with a free slot records none)
                .traffic(1, 256, "30s")
                .replicas(1)
                .yaml());
    platform.management().awaitReady(API, Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    try {
      if (platform != null) {
        platform.close();
      }
    } finally {
      if (receiver != null) {
        receiver.close();
      }
    }
  }

  @Test
  void restRequestContinuesTheClientsTraceThroughThePredictor() {
    String traceId = randomHex(16);
    String clientSpan = randomHex(8);
    HttpAnswer answer =
        platform
            .http()
            .post(
                "/v2/models/" + API + "/infer",
                V2Requests.json(input()).getBytes(StandardCharsets.UTF_8),
                Map.of(
                    "Content-Type",
                    "application/json",
                    "traceparent",
                    "00-" + traceId + "-" + clientSpan + "-01"));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    Chain chain = awaitChain(traceId);
    assertThat(chain.routerServer.parentSpanId()).isEqualTo(clientSpan);
    assertChain(chain, answer.revision());
  }

  @Test
  void restRequestWithoutTraceparentStartsATrace() {
    String requestId = "it-request-" + randomHex(4);
    HttpAnswer answer =
        platform
            .http()
            .post(
                "/v2/models/" + API + "/infer",
                V2Requests.json(input()).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "x-request-id", requestId));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    // The router's own server span is the root: find it by the forward under it.
    ReceivedSpan forward =
        await("the router's spans of the request")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    receiver.spans().stream()
                        .filter(s -> s.name().equals("serval.router.forward"))
                        .filter(s -> rootOf(s).parentSpanId().isEmpty())
                        .filter(s -> !tracedBefore.contains(s.traceId()))
                        .findFirst()
                        .orElse(null),
                s -> s != null);
    tracedBefore.add(forward.traceId());
    Chain chain = awaitChain(forward.traceId());
    assertThat(chain.routerServer.parentSpanId()).isEmpty();
    assertChain(chain, answer.revision());

    // The same request in the router's JSON log: its id, API and revision on the dispatcher's
    // line (gRPC thread), and its id and API on the REST edge's line logged in a later callback
    // than the one that set them (the Vert.x duplicated context carried the MDC).
    String revision = answer.revision().substring(answer.revision().indexOf('/') + 1);
    List<JsonNode> lines =
        await("the router's JSON log lines of request " + requestId)
            .atMost(Duration.ofSeconds(10))
            .until(() -> routerJsonLines(requestId), l -> l.size() >= 3);
    JsonNode ended =
        lines.stream()
            .filter(l -> l.path("message").asText().contains("ended OK"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no 'ended OK' line in " + lines));
    assertThat(ended.path("mdc").path("api").asText()).isEqualTo(API);
    assertThat(ended.path("mdc").path("revision").asText()).isEqualTo(revision);
    assertThat(ended.path("level").asText()).isEqualTo("DEBUG");
    // Timestamps carry the date.
    assertThat(ended.path("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
    JsonNode read =
        lines.stream()
            .filter(l -> l.path("message").asText().contains("body to '" + API + "' read"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no edge line in " + lines));
    assertThat(read.path("mdc").path("api").asText()).isEqualTo(API);
    assertThat(read.path("loggerName").asText()).endsWith("InferRoute");
    JsonNode decoded =
        lines.stream()
            .filter(l -> l.path("message").asText().contains("decoded on a codec thread"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no line after the codec hop in " + lines));
    assertThat(decoded.path("mdc").path("api").asText()).isEqualTo(API);
    assertThat(decoded.path("threadName").asText())
        .as("logged on an event loop, in a later callback than the one that set the MDC")
        .contains("eventloop");

    // The access log (on in this test): one JSON line for the request.
    List<JsonNode> access =
        await("the access log line")
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    routerJsonLines(
                        n ->
                            n.path("loggerName").asText().equals("io.quarkus.http.access-log")
                                && n.path("message").asText().contains("/v2/models/" + API)),
                l -> !l.isEmpty());
    assertThat(access.get(0).path("message").asText()).contains("POST").contains(" 200 ");
  }

  /**
   * Requests that find the API's one slot taken wait in the router's queue, and that wait is a span
   * of their trace between the server span's start and the forward; a request that got the slot at
   * once has none (the other tests' requests, sent one at a time).
   */
  @Test
  void aRequestThatQueuedRecordsItsQueueWait() throws Exception {
    byte[] body = V2Requests.json(input()).getBytes(StandardCharsets.UTF_8);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      // Bursts of 8 concurrent requests on one slot, until one trace shows its wait (the first
      // burst nearly always does; bounded in count and time).
      String queuedTrace =
          await("a trace with a queue wait")
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> {
                    List<String> traceIds = new ArrayList<>();
                    List<Future<HttpAnswer>> answers = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                      String traceId = randomHex(16);
                      traceIds.add(traceId);
                      answers.add(
                          clients.submit(
                              () ->
                                  platform
                                      .http()
                                      .post(
                                          "/v2/models/" + API + "/infer",
                                          body,
                                          Map.of(
                                              "Content-Type",
                                              "application/json",
                                              "traceparent",
                                              "00-" + traceId + "-" + randomHex(8) + "-01"))));
                    }
                    for (Future<HttpAnswer> a : answers) {
                      assertThat(a.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
                    }
                    for (String traceId : traceIds) {
                      awaitChain(traceId);
                    }
                    return traceIds.stream()
                        .filter(t -> named(receiver.trace(t), "serval.router.queue_wait") != null)
                        .findFirst()
                        .orElse(null);
                  },
                  t -> t != null);
      Chain chain = awaitChain(queuedTrace);
      assertThat(chain.queueWait).isNotNull();
      String revision =
          chain.forward.attribute("serval.revision") == null
              ? ""
              : (String) chain.forward.attribute("serval.revision");
      assertChain(chain, API + "/" + revision);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void grpcRequestContinuesTheClientsTrace() {
    String traceId = randomHex(16);
    String clientSpan = randomHex(8);
    GrpcAnswer answer =
        platform
            .grpc()
            .infer(
                V2Requests.grpc(API, input()),
                Duration.ofSeconds(30),
                Map.of("traceparent", "00-" + traceId + "-" + clientSpan + "-01"));
    assertThat(answer.status().isOk()).as("%s", answer).isTrue();
    Chain chain = awaitChain(traceId);
    assertThat(chain.routerServer.parentSpanId()).isEqualTo(clientSpan);
    assertChain(chain, answer.revision());
  }

  /**
   * Router and predictor export with the OpenTelemetry SDK's exporter over grpc-java (whose
   * user-agent it is), not with Quarkus's Vert.x one, which marshalled on the event loops serving
   * requests (docs/benchmarks.md "Tracing overhead").
   */
  @Test
  void bothServicesExportThroughTheSdksExporterOverGrpcJava() {
    String traceId = randomHex(16);
    HttpAnswer answer =
        platform
            .http()
            .post(
                "/v2/models/" + API + "/infer",
                V2Requests.json(input()).getBytes(StandardCharsets.UTF_8),
                Map.of(
                    "Content-Type",
                    "application/json",
                    "traceparent",
                    "00-" + traceId + "-" + randomHex(8) + "-01"));
    assertThat(answer.status()).isEqualTo(200);
    awaitChain(traceId);
    List<OtlpTraceReceiver.Sender> senders = receiver.senders();
    assertThat(senders)
        .flatExtracting(OtlpTraceReceiver.Sender::services)
        .contains("router-service", "predictor-service");
    assertThat(senders).allSatisfy(s -> assertThat(s.userAgent()).contains("grpc-java"));
  }

  @Test
  void nothingOfTheRequestButItsAttributesLeaves() {
    HttpAnswer answer =
        platform
            .http()
            .post(
                "/v2/models/" + API + "/infer",
                V2Requests.json(input()).getBytes(StandardCharsets.UTF_8),
                Map.of(
                    "Content-Type",
                    "application/json",
                    "traceparent",
                    "00-" + randomHex(16) + "-" + randomHex(8) + "-01"));
    assertThat(answer.status()).isEqualTo(200);
    await("some exports").atMost(Duration.ofSeconds(30)).until(() -> !receiver.exports().isEmpty());
    byte[] floatBytes =
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(MARKER).array();
    for (byte[] export : receiver.exports()) {
      assertThat(indexOf(export, KEY.getBytes(StandardCharsets.UTF_8)))
          .as("the API key in an OTLP export")
          .isEqualTo(-1);
      assertThat(indexOf(export, Float.toString(MARKER).getBytes(StandardCharsets.UTF_8)))
          .as("the tensor's JSON text in an OTLP export")
          .isEqualTo(-1);
      assertThat(indexOf(export, floatBytes))
          .as("the tensor's bytes in an OTLP export")
          .isEqualTo(-1);
    }
  }

  // ------------------------------------------------------------------ the shape of a trace

  /** Traces already claimed by a test that looks for a new root. */
  static final List<String> tracedBefore = new java.util.concurrent.CopyOnWriteArrayList<>();

  record Chain(
      ReceivedSpan routerServer,
      ReceivedSpan queueWait,
      ReceivedSpan forward,
      ReceivedSpan predictorServer,
      ReceivedSpan batchWait,
      ReceivedSpan onnxRun) {}

  /**
   * Waits until the trace holds its spans (five, six when the request queued in the router), and
   * links them by parentage.
   */
  static Chain awaitChain(String traceId) {
    return await("the spans of trace " + traceId)
        .atMost(Duration.ofSeconds(30))
        .until(() -> chain(traceId), c -> c != null);
  }

  private static Chain chain(String traceId) {
    List<ReceivedSpan> trace = receiver.trace(traceId);
    ReceivedSpan queueWait = named(trace, "serval.router.queue_wait");
    ReceivedSpan forward = named(trace, "serval.router.forward");
    ReceivedSpan batchWait = named(trace, "serval.predictor.batch_wait");
    ReceivedSpan onnxRun = named(trace, "serval.predictor.onnx_run");
    if (forward == null || batchWait == null || onnxRun == null) {
      return null;
    }
    ReceivedSpan routerServer = byId(trace, forward.parentSpanId());
    ReceivedSpan predictorServer = byId(trace, batchWait.parentSpanId());
    if (routerServer == null || predictorServer == null) {
      return null;
    }
    return new Chain(routerServer, queueWait, forward, predictorServer, batchWait, onnxRun);
  }

  private static void assertChain(Chain c, String servedBy) {
    String revision = servedBy.substring(servedBy.indexOf('/') + 1);
    // Who sent each span.
    assertThat(c.routerServer.service()).isEqualTo("router-service");
    assertThat(c.routerServer.kind()).isEqualTo(ReceivedSpan.SERVER);
    assertThat(c.predictorServer.service()).isEqualTo("predictor-service");
    assertThat(c.predictorServer.kind()).isEqualTo(ReceivedSpan.SERVER);
    assertThat(c.forward.kind()).isEqualTo(ReceivedSpan.CLIENT);
    // Parentage: router server -> (queue wait, when it queued), forward (in that order) ->
    // predictor server -> batch wait, ONNX run (in that order).
    assertThat(c.forward.parentSpanId()).isEqualTo(c.routerServer.spanId());
    assertThat(c.predictorServer.parentSpanId())
        .as("the predictor continues the router's forward")
        .isEqualTo(c.forward.spanId());
    assertThat(c.batchWait.parentSpanId()).isEqualTo(c.predictorServer.spanId());
    assertThat(c.onnxRun.parentSpanId()).isEqualTo(c.predictorServer.spanId());
    // Timings nest, and siblings follow one another.
    within(c.forward, c.routerServer);
    within(c.predictorServer, c.forward);
    within(c.batchWait, c.predictorServer);
    within(c.onnxRun, c.predictorServer);
    assertThat(c.onnxRun.startNanos())
        .isGreaterThanOrEqualTo(c.batchWait.endNanos() - CLOCK_SLACK_NANOS);
    // Attributes.
    for (ReceivedSpan s : List.of(c.forward, c.batchWait, c.onnxRun)) {
      assertThat(s.attribute("serval.api")).as("%s", s).isEqualTo(API);
      assertThat(s.attribute("serval.revision")).as("%s", s).isEqualTo(revision);
      assertThat((String) s.attribute("serval.replica")).as("%s", s).isNotBlank();
    }
    assertThat(c.forward.attribute("rpc.grpc.status_code")).isEqualTo(0L);
    if (c.queueWait != null) {
      assertQueueWait(c, revision);
    }
    assertThat(c.onnxRun.attribute("serval.batch.size")).isEqualTo(1L);
    assertThat(c.onnxRun.attribute("serval.batch.rows")).isEqualTo(1L);
  }

  private static void assertQueueWait(Chain c, String revision) {
    assertThat(c.queueWait.parentSpanId()).isEqualTo(c.routerServer.spanId());
    within(c.queueWait, c.routerServer);
    assertThat(c.forward.startNanos())
        .isGreaterThanOrEqualTo(c.queueWait.endNanos() - CLOCK_SLACK_NANOS);
    assertThat(c.queueWait.attribute("serval.api")).isEqualTo(API);
    assertThat(c.queueWait.attribute("serval.revision")).isEqualTo(revision);
    assertThat(c.queueWait.attribute("serval.replica"))
        .isEqualTo(c.forward.attribute("serval.replica"));
  }

  private static void within(ReceivedSpan child, ReceivedSpan parent) {
    assertThat(child.startNanos())
        .as("%s starts within %s", child.name(), parent.name())
        .isGreaterThanOrEqualTo(parent.startNanos() - CLOCK_SLACK_NANOS);
    assertThat(child.endNanos())
        .as("%s ends within %s", child.name(), parent.name())
        .isLessThanOrEqualTo(parent.endNanos() + CLOCK_SLACK_NANOS);
    assertThat(child.endNanos()).isGreaterThanOrEqualTo(child.startNanos());
  }

  private static ReceivedSpan named(List<ReceivedSpan> trace, String name) {
    return trace.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  private static ReceivedSpan byId(List<ReceivedSpan> trace, String id) {
    return trace.stream().filter(s -> s.spanId().equals(id)).findFirst().orElse(null);
  }

  /** The span's ancestor at the top of what was received (itself when its parent is absent). */
  private static ReceivedSpan rootOf(ReceivedSpan s) {
    List<ReceivedSpan> trace = receiver.trace(s.traceId());
    ReceivedSpan at = s;
    for (int i = 0; i < 10; i++) {
      ReceivedSpan parent = byId(trace, at.parentSpanId());
      if (parent == null) {
        return at;
      }
      at = parent;
    }
    return at;
  }

  // ------------------------------------------------------------------ helpers

  private static List<Tensor> input() {
    return Inputs.add(WIDTH, MARKER);
  }

  private static List<JsonNode> routerJsonLines(String requestId) throws Exception {
    return routerJsonLines(n -> requestId.equals(n.path("mdc").path("requestId").asText()));
  }

  private static List<JsonNode> routerJsonLines(java.util.function.Predicate<JsonNode> which)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(platform.dir().resolve("logs/router.log"))) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode node = json.readTree(line);
      if (which.test(node)) {
        out.add(node);
      }
    }
    return out;
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1; // never all zero (an invalid id)
    return HexFormat.of().formatHex(b);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
