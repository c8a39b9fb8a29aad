package io.serval.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.serval.client.retry.FakeTime;
import io.serval.client.v2.Datatype;
import io.serval.client.v2.InferRequest;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.ModelMetadata;
import io.serval.client.v2.ServalConnectionException;
import io.serval.client.v2.ServalException;
import io.serval.client.v2.ServalTimeoutException;
import io.serval.client.v2.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST client against a local V2 server, on a fake clock: the retry decisions on the wire. */
class RestClientTest {

  static final long[] ROW4 = {1, 4};

  final FakeTime time = new FakeTime();
  final FakeRouter router = new FakeRouter();
  final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    router.close();
  }

  ServalClient.Builder client(String url) {
    return ServalClient.rest(url)
        .attemptTimeout(Duration.ofSeconds(10))
        .deadline(Duration.ofSeconds(30))
        .timing(time, time, () -> 0.5);
  }

  static List<Tensor> addInputs() {
    return List.of(
        Tensor.floats("a", ROW4, 1f, 2f, 3f, 4f), Tensor.floats("b", ROW4, .5f, .5f, .5f, .5f));
  }

  @Test
  void typedTensorsGoOutAsV2JsonAndComeBackTyped() {
    try (ServalClient c = client(router.url()).apiKey("key-1").build()) {
      InferResult r =
          c.infer(
              "echo",
              new InferRequest(
                  List.of(
                      Tensor.floats("f", ROW4, 1.5f, -2f, 0f, 3.25f),
                      Tensor.int64s("i", new long[] {2}, Long.MIN_VALUE, 7L),
                      Tensor.int32s("n", new long[] {1}, -3),
                      Tensor.doubles("d", new long[] {1}, Math.PI),
                      Tensor.bools("ok", new long[] {2}, true, false),
                      Tensor.strings("s", new long[] {2}, "héllo", "")),
                  List.of(),
                  "req-7"));
      assertThat(r.output("f").floats()).containsExactly(1.5f, -2f, 0f, 3.25f);
      assertThat(r.output("f").shape()).containsExactly(1, 4);
      assertThat(r.output("i").int64s()).containsExactly(Long.MIN_VALUE, 7L);
      assertThat(r.output("n").int32s()).containsExactly(-3);
      assertThat(r.output("d").doubles()).containsExactly(Math.PI);
      assertThat(r.output("ok").bools()).containsExactly(true, false);
      assertThat(r.output("s").strings()).containsExactly("héllo", "");
      assertThat(r.id()).isEqualTo("req-7");
      assertThat(r.modelName()).isEqualTo("echo");
      assertThat(r.revision()).contains("echo/r1");
      assertThat(r.attempts()).isEqualTo(1);
    }
    FakeRouter.Seen seen = router.seen.getFirst();
    assertThat(seen.path()).isEqualTo("/v2/models/echo/infer");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer key-1");
    assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    assertThat(seen.header("Serval-Timeout")).isEqualTo("10000ms");
    assertThat(router.lastDecoded.getRawInputContentsCount()).isEqualTo(6);
  }

  @Test
  void theBinaryExtensionCarriesWhatJsonCannot() {
    byte[] fp16 = {0x00, 0x3C, 0x00, (byte) 0xC0}; // 1.0, -2.0
    byte[] notUtf8 = {(byte) 0xFF, 0x00, (byte) 0xFE};
    try (ServalClient c = client(router.url()).binary(true).build()) {
      InferResult r =
          c.infer(
              "echo",
              List.of(
                  Tensor.raw("h", Datatype.FP16, new long[] {2}, fp16),
                  Tensor.bytes("b", new long[] {1}, notUtf8),
                  Tensor.floats("f", ROW4, 1f, 2f, 3f, 4f)));
      assertThat(r.output("h").raw()).containsExactly(fp16);
      assertThat(r.output("h").datatype()).isEqualTo(Datatype.FP16);
      assertThat(r.output("b").bytes().getFirst()).containsExactly(notUtf8);
      assertThat(r.output("f").floats()).containsExactly(1f, 2f, 3f, 4f);
    }
    FakeRouter.Seen seen = router.seen.getFirst();
    assertThat(seen.header("Content-Type")).isEqualTo("application/octet-stream");
    String header =
        new String(
            seen.body(),
            0,
            Integer.parseInt(seen.header("Inference-Header-Content-Length")),
            StandardCharsets.UTF_8);
    assertThat(header).contains("\"binary_data_size\"").doesNotContain("\"data\"");
  }

  @Test
  void fp16HasNoJsonFormAndSaysSo() {
    try (ServalClient c = client(router.url()).build()) {
      assertThatThrownBy(
              () ->
                  c.infer(
                      "echo", List.of(Tensor.raw("h", Datatype.FP16, new long[] {1}, new byte[2]))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("binary tensor extension");
    }
    assertThat(router.seen).isEmpty();
  }

  @Test
  void a503IsRetriedNoSoonerThanRetryAfterAndThenAnswers() {
    router.thenStatus(503, "queue full", "Retry-After", "1");
    try (ServalClient c = client(router.url()).build()) {
      InferResult r = c.infer("add", addInputs());
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(r.output("a").floats()).containsExactly(1f, 2f, 3f, 4f);
    }
    // Retry-After (1 s) plus half of the first ceiling (100 ms).
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(1050));
    assertThat(router.seen).hasSize(2);
  }

  @Test
  void a429IsRetried() {
    router.thenStatus(429, "slow down");
    try (ServalClient c = client(router.url()).build()) {
      assertThat(c.infer("add", addInputs()).attempts()).isEqualTo(2);
    }
  }

  @Test
  void otherStatusesAreNotRetriedAndCarryTheRoutersText() {
    for (int status : new int[] {500, 504, 400, 401, 404, 413}) {
      router.thenStatus(status, "because " + status);
      try (ServalClient c = client(router.url()).build()) {
        ServalException e =
            catchThrowableOfType(ServalException.class, () -> c.infer("add", addInputs()));
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.message()).isEqualTo("because " + status);
        assertThat(e.attempts()).isEqualTo(1);
      }
    }
    assertThat(router.seen).hasSize(6);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void retriesAreBounded() {
    for (int i = 0; i < 10; i++) {
      router.thenStatus(503, "queue full");
    }
    try (ServalClient c = client(router.url()).retries(3).build()) {
      ServalException e =
          catchThrowableOfType(ServalException.class, () -> c.infer("add", addInputs()));
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.attempts()).isEqualTo(4);
    }
    assertThat(router.seen).hasSize(4);
  }

  @Test
  void aRefusedConnectionIsRetriedUntilTheRouterListens() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    AtomicReference<FakeRouter> late = new AtomicReference<>();
    AtomicInteger waits = new AtomicInteger();
    time.onSleep(
        () -> {
          if (waits.incrementAndGet() == 2) {
            late.set(new FakeRouter(port)); // the router is back after two refusals
          }
        });
    try (ServalClient c = client("http://127.0.0.1:" + port).build()) {
      InferResult r = c.infer("add", addInputs());
      assertThat(r.attempts()).isEqualTo(3);
      assertThat(late.get().seen).hasSize(1);
    } finally {
      if (late.get() != null) {
        late.get().close();
      }
    }
  }

  @Test
  void noConnectionOnEveryAttemptIsAConnectionError() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (ServalClient c = client("http://127.0.0.1:" + port).retries(2).build()) {
      ServalConnectionException e =
          catchThrowableOfType(ServalConnectionException.class, () -> c.infer("add", addInputs()));
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.status()).isEqualTo(-1);
    }
  }

  @Test
  void noAnswerWithinTheAttemptIsNotRetried() {
    router.then(
        ex -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    try (ServalClient c =
        ServalClient.rest(router.url())
            .attemptTimeout(Duration.ofMillis(300))
            .deadline(Duration.ofSeconds(30))
            .timing(System::nanoTime, time, () -> 0.5)
            .build()) {
      ServalTimeoutException e =
          catchThrowableOfType(ServalTimeoutException.class, () -> c.infer("add", addInputs()));
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.getMessage()).contains("may have started it");
    }
    assertThat(router.seen).hasSize(1);
    assertThat(router.seen.getFirst().header("Serval-Timeout")).isEqualTo("300ms");
  }

  @Test
  void aConnectionClosedAfterTheRequestWasSentIsNotRetried() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!server.isClosed()) {
                      try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        in.read(new byte[8192]); // the request arrived, then the "router" died
                        requests.incrementAndGet();
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
      try (ServalClient c = client("http://127.0.0.1:" + server.getLocalPort()).build()) {
        ServalConnectionException e =
            catchThrowableOfType(
                ServalConnectionException.class, () -> c.infer("add", addInputs()));
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.getMessage()).contains("after the request was sent");
      }
      server.close();
      t.join(5000);
    }
    assertThat(requests).hasValue(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void anAnswerOverTheSizeLimitIsRefused() {
    try (ServalClient c = client(router.url()).maxResponseBytes(64).build()) {
      ServalException e =
          catchThrowableOfType(ServalException.class, () -> c.infer("add", addInputs()));
      assertThat(e.getMessage()).contains("limit of 64");
      assertThat(e.attempts()).isEqualTo(1);
    }
  }

  @Test
  void eachAttemptSendsWhatIsLeftOfTheDeadline() {
    router.thenStatus(503, "queue full", "Retry-After", "1");
    try (ServalClient c =
        client(router.url())
            .attemptTimeout(Duration.ofSeconds(10))
            .deadline(Duration.ofSeconds(5))
            .build()) {
      c.infer("add", addInputs());
    }
    assertThat(router.seen)
        .extracting(s -> s.header("Serval-Timeout"))
        .containsExactly("5000ms", "3950ms");
  }

  @Test
  void readyAndMetadata() {
    router.thenStatus(503, "no ready replica");
    try (ServalClient c = client(router.url()).build()) {
      assertThat(c.ready("add")).isFalse(); // a probe: not retried
      assertThat(c.ready("add")).isTrue();
      ModelMetadata m = c.metadata("add");
      assertThat(m.name()).isEqualTo("add");
      assertThat(m.inputs()).extracting(ModelMetadata.TensorMetadata::name).containsExactly("a");
      assertThat(m.inputs().getFirst().shape()).containsExactly(-1L, 4L);
    }
    assertThat(router.seen).hasSize(3);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void aRefusedKeyIsATyped401() {
    router.thenStatus(401, "a valid API key is required");
    try (ServalClient c = client(router.url()).apiKey("wrong").build()) {
      ServalException e = catchThrowableOfType(ServalException.class, () -> c.ready("add"));
      assertThat(e.status()).isEqualTo(401);
    }
  }
}
