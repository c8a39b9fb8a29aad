package io.serval.router.grpc;

import static io.serval.router.fakes.FakePredictorsResource.doomed;
import static io.serval.router.fakes.FakePredictorsResource.doomedRelay;
import static io.serval.router.fakes.FakePredictorsResource.echoA;
import static io.serval.router.fakes.FakePredictorsResource.echoB;
import static io.serval.router.fakes.FakePredictorsResource.failing;
import static io.serval.router.fakes.FakePredictorsResource.mirror;
import static io.serval.router.fakes.FakePredictorsResource.retryTarget;
import static io.serval.router.fakes.FakePredictorsResource.slow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.serval.proto.control.ApiSample;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelMetadataRequest;
import io.serval.proto.inference.ModelReadyRequest;
import io.serval.proto.inference.ServerReadyRequest;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.ReplicaEjector;
import io.serval.router.fakes.FakePredictorsResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakePredictorsResource.class)
class RouterGrpcTest {
  static ManagedChannel channel;

  @Inject InferenceDispatcher dispatcher;
  @Inject ReplicaEjector ejector;

  @BeforeAll
  static void connect() {
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", FakePredictorsResource.grpcPort)
            .usePlaintext()
            .build();
  }

  @AfterAll
  static void disconnect() {
    channel.shutdownNow();
  }

  @AfterEach
  void releaseSlowAnswers() {
    slow.release();
  }

  static ModelInferRequest request(String model) {
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .setId("req-7")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("x")
                .setDatatype("FP32")
                .addShape(1)
                .addShape(2))
        .addRawInputContents(
            ByteString.copyFrom(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}))
        .build();
  }

  /** A call that records the trailers it got. */
  record Call(
      AtomicReference<Metadata> trailers,
      GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub) {
    String revision() {
      Metadata t = trailers.get();
      return t == null ? null : t.get(UnaryHandler.REVISION);
    }
  }

  static Call call() {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    return new Call(
        trailers,
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)));
  }

  @Test
  void aMessageOverTheLimitIsRefusedWithResourceExhaustedBeforeAnyReplicaSeesIt() {
    int before = echoA.calls();
    ModelInferRequest huge =
        request("echo").toBuilder()
            .setRawInputContents(0, ByteString.copyFrom(new byte[2 << 20]))
            .build();
    assertThatThrownBy(() -> call().stub().modelInfer(huge))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("exceeds maximum size 1048576");
            });
    assertThat(echoA.calls()).isEqualTo(before);
    assertThat(call().stub().modelInfer(request("echo")).getModelName()).isEqualTo("echo");
  }

  @Test
  void forwardsTheRequestUntouchedUnderThePredictorsModelName() {
    echoA.reset();
    Call c = call();
    ModelInferResponse r = c.stub().modelInfer(request("echo"));
    assertThat(r.getModelName()).as("the answer names what the client asked for").isEqualTo("echo");
    assertThat(r.getModelVersion()).isEqualTo("a");
    assertThat(r.getId()).isEqualTo("req-7");
    assertThat(r.getOutputs(0).getName()).isEqualTo("out_x");
    assertThat(r.getRawOutputContents(0)).isEqualTo(request("echo").getRawInputContents(0));
    assertThat(c.revision()).isEqualTo("echo/r1");
    assertThat(echoA.modelNames()).containsExactly("model");
  }

  @Test
  void splitsASplitterByWeightAndMirrorsEveryRequestToTheShadow() {
    int n = 300;
    int mirroredBefore = mirror.calls();
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Call c = call();
      ModelInferResponse r = c.stub().modelInfer(request("classifier"));
      assertThat(r.getModelName()).isEqualTo("classifier");
      served.merge(c.revision(), 1, Integer::sum);
    }
    assertThat(served).containsOnlyKeys("echo/r1", "echo-b/r1");
    assertThat(100.0 * served.get("echo/r1") / n).isBetween(60.0, 80.0);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(mirror.calls() - mirroredBefore)
                    .as(
                        "mirror lane queued %d executing %d",
                        dispatcher.lane("mirror").queued(), dispatcher.lane("mirror").executing())
                    .isEqualTo(n));
  }

  @Test
  void splitsARolloutByRevisionShare() {
    int n = 300;
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Call c = call();
      c.stub().modelInfer(request("rollout"));
      served.merge(c.revision(), 1, Integer::sum);
    }
    assertThat(served).containsOnlyKeys("rollout/blue", "rollout/green");
    assertThat(100.0 * served.get("rollout/green") / n).isBetween(12.0, 28.0);
  }

  @Test
  void unknownAndMissingNamesAreRefusedWithoutCallingAPredictor() {
    int before = echoA.calls() + echoB.calls();
    assertThatThrownBy(() -> call().stub().modelInfer(request("nope")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("'nope'");
            });
    assertThatThrownBy(() -> call().stub().modelInfer(request("")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(echoA.calls() + echoB.calls()).isEqualTo(before);
  }

  @Test
  void aFullQueueIsRefusedAtOnceWithResourceExhausted() throws Exception {
    var async =
        GRPCInferenceServiceGrpc.newFutureStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    List<ListenableFuture<ModelInferResponse>> admitted = new ArrayList<>();
    admitted.add(async.modelInfer(request("busy")));
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.held() == 1);
    for (int i = 0; i < FakePredictorsResource.SLOW_QUEUE; i++) {
      admitted.add(async.modelInfer(request("busy")));
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> dispatcher.lane("busy").queued() == FakePredictorsResource.SLOW_QUEUE);

    Call over = call();
    assertThatThrownBy(() -> over.stub().modelInfer(request("busy")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("queue of API 'busy' is full");
            });
    assertThat(over.revision()).isEqualTo("busy/r1");

    // Each release lets the next queued request (in arrival order) through to the one slot.
    for (int i = 0; i < admitted.size(); i++) {
      await().atMost(Duration.ofSeconds(5)).until(() -> slow.held() == 1);
      slow.release();
    }
    for (ListenableFuture<ModelInferResponse> f : admitted) {
      assertThat(f.get(5, TimeUnit.SECONDS).getModelVersion()).isEqualTo("slow");
    }
  }

  @Test
  void requestsPastTheApiTimeoutEndWithDeadlineExceededAndLeaveNothingQueued() {
    var async =
        GRPCInferenceServiceGrpc.newFutureStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    ListenableFuture<ModelInferResponse> executing = async.modelInfer(request("slow"));
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.held() == 1);
    ListenableFuture<ModelInferResponse> queued = async.modelInfer(request("slow"));
    for (ListenableFuture<ModelInferResponse> f : List.of(executing, queued)) {
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                assertThat(e.getStatus().getDescription()).contains("API 'slow'");
              });
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(dispatcher.lane("slow").queued()).isZero();
              assertThat(dispatcher.lane("slow").executing()).isZero();
            });
  }

  @Test
  void theClientsShorterDeadlineWins() {
    var stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(200, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.modelInfer(request("slow")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(dispatcher.lane("slow").executing()).isZero());
  }

  @Test
  void aRefusedReplicaIsRetriedElsewhereThenEjected() {
    int before = retryTarget.calls();
    for (int i = 0; i < 20; i++) {
      Call c = call();
      assertThat(c.stub().modelInfer(request("retry")).getModelVersion()).isEqualTo("retry");
      assertThat(c.revision()).isEqualTo("retry/r1");
    }
    assertThat(retryTarget.calls() - before).isEqualTo(20);
    assertThat(ejector.isEjected(FakePredictorsResource.refusedAddress)).isTrue();
  }

  /** One request of a load loop: when it was sent, and who answered it or how it failed. */
  record Outcome(long sentNanos, String servedBy, Status.Code failure, String message) {}

  /**
   * The dead replica held at least one request (no answer, no headers) when its connections were
   * reset; requests kept coming before the router noticed. Those it held fail (it may have died of
   * one of them: a replay could kill the next replica too); none sent after its death does.
   */
  @Test
  void requestsSentAfterAReplicaDiedAbruptlySucceedOnTheOtherReplica() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> loops = new ArrayList<>();
    try {
      for (int t = 0; t < 4; t++) {
        loops.add(
            clients.submit(
                () -> {
                  // Bounded: at most 1000 requests per client, and the test's deadlines below.
                  for (int i = 0; i < 1000 && !stop.get(); i++) {
                    long sent = System.nanoTime();
                    try {
                      String by = call().stub().modelInfer(request("crash")).getModelVersion();
                      outcomes.add(new Outcome(sent, by, null, null));
                    } catch (StatusRuntimeException e) {
                      outcomes.add(
                          new Outcome(
                              sent, null, e.getStatus().getCode(), e.getStatus().getDescription()));
                    }
                  }
                }));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> doomed.held() >= 1 && outcomes.size() >= 20);
      doomedRelay.kill();
      killedAt.set(System.nanoTime());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  outcomes.stream().filter(o -> o.sentNanos() > killedAt.get()).count() >= 400
                      || loops.stream().allMatch(Future::isDone));
    } finally {
      stop.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(15, TimeUnit.SECONDS)).isTrue();
    }
    for (Future<?> loop : loops) {
      loop.get();
    }
    List<Outcome> after = outcomes.stream().filter(o -> o.sentNanos() > killedAt.get()).toList();
    assertThat(after).hasSizeGreaterThanOrEqualTo(100);
    assertThat(after.stream().filter(o -> !"survivor".equals(o.servedBy())).toList())
        .as("requests sent after the replica died, retried on the survivor")
        .isEmpty();
    List<Outcome> failed = outcomes.stream().filter(o -> o.failure() != null).toList();
    assertThat(failed)
        .as("those it held unanswered when its connections died fail, and only those")
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(4)
        .allSatisfy(
            o -> {
              assertThat(o.sentNanos()).isLessThan(killedAt.get());
              assertThat(o.failure()).isEqualTo(Status.Code.INTERNAL);
              assertThat(o.message())
                  .contains(doomedRelay.address())
                  .contains("died or dropped its connection while running it")
                  .contains("not retried");
            });
    assertThat(ejector.isEjected(doomedRelay.address())).isTrue();
  }

  @Test
  void aFailureAfterTheReplicaAcceptedIsNotRetried() {
    int before = failing.calls();
    Call c = call();
    assertThatThrownBy(() -> c.stub().modelInfer(request("failing")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).isEqualTo("model failed");
            });
    assertThat(c.revision()).isEqualTo("failing/r1");
    assertThat(failing.calls() - before).isEqualTo(1);
  }

  @Test
  void anApiWithNoReplicaWakesUpTheOperatorAndItsRequestsWaitUntilTheirDeadline() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> call().stub().modelInfer(request("sleepy")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> FakePredictorsResource.control.wakeUps().contains("sleepy"));
    assertThat(dispatcher.lane("sleepy").queued()).isZero();
  }

  @Test
  void answersReadinessAndMetadata() {
    var stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(
            stub.modelReady(ModelReadyRequest.newBuilder().setName("classifier").build())
                .getReady())
        .isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("sleepy").build()).getReady())
        .isFalse();
    var meta = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("echo").build());
    assertThat(meta.getName()).isEqualTo("echo");
    assertThat(meta.getVersions(0)).isEqualTo("a");
    assertThatThrownBy(
            () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void streamsInFlightSamplesToTheAutoscaler() {
    call().stub().modelInfer(request("echo"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              long echoRequests =
                  FakePredictorsResource.control.reports().stream()
                      .flatMap(r -> r.getSamplesList().stream())
                      .filter(s -> s.getApi().equals("echo"))
                      .mapToLong(ApiSample::getRequests)
                      .sum();
              assertThat(echoRequests).isPositive();
            });
    assertThat(FakePredictorsResource.control.reports().get(0).getRouterId()).isNotEmpty();
  }

  @Test
  void reportsWhatEachRevisionsReplicasAnswered() {
    // Other tests' calls may still be on their way to the fake: compare totals, not exact deltas.
    long[] echoBefore = revisionCounts("echo", "r1");
    long[] failingBefore = revisionCounts("failing", "r1");
    Call c = call();
    c.stub().modelInfer(request("echo"));
    c.stub().modelInfer(request("echo"));
    assertThatThrownBy(() -> c.stub().modelInfer(request("failing")))
        .isInstanceOf(StatusRuntimeException.class);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              long[] echo = revisionCounts("echo", "r1");
              assertThat(echo[0] - echoBefore[0]).isGreaterThanOrEqualTo(2);
              assertThat(echo[1] - echoBefore[1]).isLessThan(echo[0] - echoBefore[0]);
              long[] failed = revisionCounts("failing", "r1");
              assertThat(failed[0] - failingBefore[0]).isGreaterThanOrEqualTo(1);
              // the failing replica fails every call
              assertThat(failed[1]).isEqualTo(failed[0]);
            });
  }

  /** Answered and failed counts reported so far for one revision of one API. */
  private static long[] revisionCounts(String api, String revision) {
    long[] counts = new long[2];
    FakePredictorsResource.control.reports().stream()
        .flatMap(r -> r.getSamplesList().stream())
        .filter(s -> s.getApi().equals(api))
        .flatMap(s -> s.getRevisionsList().stream())
        .filter(r -> r.getRevision().equals(revision))
        .forEach(
            r -> {
              counts[0] += r.getAnswered();
              counts[1] += r.getFailed();
            });
    return counts;
  }
}
