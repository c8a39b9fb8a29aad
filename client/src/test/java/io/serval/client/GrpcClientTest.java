package io.serval.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.serval.client.retry.FakeTime;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.ServalConnectionException;
import io.serval.client.v2.ServalException;
import io.serval.client.v2.ServalTimeoutException;
import io.serval.client.v2.Tensor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gRPC client against a local V2 gRPC server, on a fake clock for the waits. */
class GrpcClientTest {

  static final long[] ROW4 = {1, 4};

  final FakeTime time = new FakeTime();
  final FakeGrpcRouter router = new FakeGrpcRouter();

  @AfterEach
  void stop() {
    router.close();
  }

  ServalClient.Builder client(String target) {
    return ServalClient.grpc(target)
        .attemptTimeout(Duration.ofSeconds(10))
        .deadline(Duration.ofSeconds(30))
        .timing(System::nanoTime, time, () -> 0.5);
  }

  static List<Tensor> inputs() {
    return List.of(
        Tensor.floats("a", ROW4, 1f, 2f, 3f, 4f),
        Tensor.int64s("i", new long[] {2}, 5L, -6L),
        Tensor.strings("s", new long[] {1}, "x"));
  }

  @Test
  void rawContentsGoOutAndTypedOrRawContentsComeBack() {
    try (ServalClient c = client(router.target()).apiKey("key-1").build()) {
      for (boolean raw : new boolean[] {false, true}) {
        router.raw = raw;
        InferResult r = c.infer("echo", inputs());
        assertThat(r.output("a").floats()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(r.output("i").int64s()).containsExactly(5L, -6L);
        assertThat(r.output("s").strings()).containsExactly("x");
        assertThat(r.revision()).contains("echo/r1");
        assertThat(r.attempts()).isEqualTo(1);
      }
    }
    assertThat(router.infers.getFirst().getRawInputContentsCount()).isEqualTo(3);
    assertThat(router.authorizations).containsOnly("Bearer key-1");
    // The attempt's time is the call's gRPC deadline.
    assertThat(router.deadlinesMillis).allSatisfy(ms -> assertThat(ms).isBetween(1L, 10_000L));
  }

  @Test
  void theRoutersRefusalsAreRetried() {
    router.then(Status.RESOURCE_EXHAUSTED.withDescription("queue full"));
    router.then(Status.UNAVAILABLE.withDescription("no ready replica"));
    try (ServalClient c = client(router.target()).build()) {
      assertThat(c.infer("echo", inputs()).attempts()).isEqualTo(3);
    }
    assertThat(router.infers).hasSize(3);
    assertThat(time.sleeps()).hasSize(2);
  }

  @Test
  void otherCodesAreNotRetriedAndCarryTheRoutersText() {
    router.then(Status.INTERNAL.withDescription("the replica died running it"));
    router.then(Status.INVALID_ARGUMENT.withDescription("bad datatype"));
    router.then(Status.DEADLINE_EXCEEDED.withDescription("the API's timeout passed"));
    try (ServalClient c = client(router.target()).build()) {
      ServalException internal =
          catchThrowableOfType(ServalException.class, () -> c.infer("echo", inputs()));
      assertThat(internal.status()).isEqualTo(500);
      assertThat(internal.grpcCode()).contains("INTERNAL");
      assertThat(internal.message()).isEqualTo("the replica died running it");
      assertThat(internal.attempts()).isEqualTo(1);
      ServalException invalid =
          catchThrowableOfType(ServalException.class, () -> c.infer("echo", inputs()));
      assertThat(invalid.status()).isEqualTo(400);
      ServalException late =
          catchThrowableOfType(ServalException.class, () -> c.infer("echo", inputs()));
      assertThat(late.status()).isEqualTo(504);
      assertThat(late).isNotInstanceOf(ServalTimeoutException.class);
    }
    assertThat(router.infers).hasSize(3);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void noAnswerWithinTheAttemptIsNotRetried() {
    router.then(FakeGrpcRouter.HANG);
    try (ServalClient c = client(router.target()).attemptTimeout(Duration.ofMillis(300)).build()) {
      ServalTimeoutException e =
          catchThrowableOfType(ServalTimeoutException.class, () -> c.infer("echo", inputs()));
      assertThat(e.attempts()).isEqualTo(1);
    }
    assertThat(router.infers).hasSize(1);
  }

  @Test
  void aRefusedConnectionIsRetriedUntilTheRouterListens() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    AtomicReference<FakeGrpcRouter> late = new AtomicReference<>();
    AtomicInteger waits = new AtomicInteger();
    time.onSleep(
        () -> {
          if (waits.incrementAndGet() == 1) {
            late.set(new FakeGrpcRouter(port)); // back after one refusal
          }
        });
    try (ServalClient c = client("127.0.0.1:" + port).build()) {
      InferResult r = c.infer("echo", inputs());
      // The retry reconnects at once (the channel's own backoff would wait a second or more).
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(late.get().infers).hasSize(1);
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
    try (ServalClient c =
        client("127.0.0.1:" + port).retries(2).attemptTimeout(Duration.ofMillis(200)).build()) {
      ServalConnectionException e =
          catchThrowableOfType(ServalConnectionException.class, () -> c.infer("echo", inputs()));
      assertThat(e.attempts()).isEqualTo(3);
    }
  }

  @Test
  void anAnswerOverTheSizeLimitIsNotRetried() {
    try (ServalClient c = client(router.target()).maxResponseBytes(16).build()) {
      ServalException e =
          catchThrowableOfType(ServalException.class, () -> c.infer("echo", inputs()));
      assertThat(e.attempts()).isEqualTo(1);
    }
    assertThat(router.infers).hasSize(1);
  }

  @Test
  void readyAndMetadata() {
    router.then(Status.NOT_FOUND.withDescription("no such API"));
    try (ServalClient c = client(router.target()).build()) {
      assertThat(c.ready("nope")).isFalse();
      assertThat(c.ready("echo")).isTrue();
      assertThat(c.metadata("echo").inputs().getFirst().shape()).containsExactly(-1L, 4L);
    }
  }
}
