package io.serval.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.Endpoint;
import io.serval.proto.control.RevisionRoute;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.SplitTarget;
import io.serval.proto.control.SplitterRoute;
import io.serval.proto.control.TrafficLimits;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.router.dispatch.FakeTransport.FakeAttempt;
import io.serval.router.queue.FakeTicker;
import io.serval.router.queue.RealtimeReserve;
import io.serval.router.routing.RouteTable;
import io.serval.router.routing.RouteTableHolder;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's admission, forwarding and completion together, over a fake transport and a fake
 * ticker: every way a request ends gives its slot back, and only a request that never reached a
 * replica goes to another one.
 */
class InferenceDispatcherTest {
  private static final Duration API_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration BACKOFF = Duration.ofMillis(5);
  private static final byte[] REQUEST = {1, 2, 3};
  private static final byte[] RESPONSE = {4, 5, 6};

  private record Delayed(long nanos, Runnable task) {}

  private final FakeTicker ticker = new FakeTicker();
  private final FakeTransport transport = new FakeTransport();
  private final RecordingObserver observer = new RecordingObserver();
  private final ReplicaEjector ejector = new ReplicaEjector(3);
  private final List<Delayed> delayed = new ArrayList<>();
  private final RouteTableHolder routes = new RouteTableHolder();
  private ScheduledExecutorService sweepTimer;
  private InferenceDispatcher dispatcher;

  @BeforeEach
  void setUp() {
    sweepTimer = Executors.newSingleThreadScheduledExecutor();
    routes.swap(table(api("api", "api", 1, 1, "a:1")));
    dispatcher =
        new InferenceDispatcher(
            routes,
            transport,
            new RetryPolicy(3, BACKOFF, Duration.ofMillis(20)),
            ejector,
            ticker,
            sweepTimer,
            (nanos, task) -> delayed.add(new Delayed(nanos, task)),
            observer,
            new SplittableRandom(7));
  }

  @AfterEach
  void tearDown() {
    sweepTimer.shutdownNow();
  }

  static ApiRoute api(
      String name, String modelName, int maxConcurrency, int maxQueue, String... replicas) {
    RevisionRoute.Builder revision = RevisionRoute.newBuilder().setRevision("r1");
    for (String r : replicas) {
      revision.addEndpoints(Endpoint.newBuilder().setAddress(r));
    }
    return ApiRoute.newBuilder()
        .setName(name)
        .setModelName(modelName)
        .setLimits(
            TrafficLimits.newBuilder()
                .setMaxConcurrency(maxConcurrency)
                .setMaxQueueLength(maxQueue)
                .setTimeout(
                    com.google.protobuf.Duration.newBuilder().setSeconds(API_TIMEOUT.toSeconds())))
        .addRevisions(revision.setTrafficPercent(100))
        .build();
  }

  static RouteTable table(ApiRoute... apis) {
    return RouteTable.from(
        RouteSnapshot.newBuilder().setVersion(1).addAllApis(List.of(apis)).build());
  }

  private RecordingListener submit() {
    return submit(Long.MAX_VALUE);
  }

  private RecordingListener submit(long clientDeadlineNanos) {
    RecordingListener l = new RecordingListener();
    dispatcher.submit("api", REQUEST, clientDeadlineNanos, l);
    return l;
  }

  private ApiLane lane() {
    return dispatcher.lane("api");
  }

  private void runDelayed() {
    List<Delayed> due = List.copyOf(delayed);
    delayed.clear();
    due.forEach(d -> d.task().run());
  }

  @Test
  void backgroundWorkWaitsBehindRealtimeRequestsForTheSameSlots() {
    RecordingListener first = submit();
    RecordingListener background = new RecordingListener();
    dispatcher.submitBackground("bg-1", "api", REQUEST, background);
    // The queue bound (1) counts realtime requests only: this one is queued, not refused.
    RecordingListener realtime = submit();
    assertThat(realtime.calls).hasValue(0);
    assertThat(lane().backgroundRoom()).isZero();

    transport.attempts.get(0).answer(RESPONSE);
    assertThat(first.response).isEqualTo(RESPONSE);
    assertThat(transport.attempts).hasSize(2);
    transport.attempts.get(1).answer(RESPONSE);
    assertThat(realtime.response).as("the realtime request went first").isEqualTo(RESPONSE);
    assertThat(background.calls).hasValue(0);

    assertThat(transport.attempts).hasSize(3);
    transport.attempts.get(2).answer(RESPONSE);
    assertThat(background.response).isEqualTo(RESPONSE);
    assertThat(lane().executing()).isZero();
    assertThat(lane().backgroundRoom())
        .as("the one slot is kept for the realtime traffic just seen")
        .isZero();
    ticker.advance(RealtimeReserve.DEFAULT_WINDOW.plusSeconds(1));
    assertThat(lane().backgroundRoom()).as("no realtime traffic in the window").isEqualTo(1);
  }

  @Test
  void theRealtimeReserveKeepsSlotsOfEveryLaneFromBackgroundWork() {
    routes.swap(table(api("api", "api", 2, 1, "a:1")));
    RecordingListener background = new RecordingListener();
    dispatcher.submitBackground("bg-1", "api", REQUEST, background);
    transport.attempts.get(0).answer(RESPONSE);
    assertThat(background.response).isEqualTo(RESPONSE);
    assertThat(lane().backgroundRoom()).as("no realtime traffic yet: every slot").isEqualTo(2);
    RecordingListener first = submit();
    transport.attempts.get(1).answer(RESPONSE);
    assertThat(first.response).isEqualTo(RESPONSE);
    assertThat(lane().backgroundRoom())
        .as("both slots kept: the realtime peak (1) and the default headroom (1)")
        .isZero();

    dispatcher.setRealtimeReserve(RealtimeReserve.DEFAULT_WINDOW, 0);
    assertThat(lane().backgroundRoom()).as("the peak only").isEqualTo(1);
  }

  @Test
  void backgroundWorkForAnApiNotRoutedFailsNotFound() {
    RecordingListener background = new RecordingListener();
    dispatcher.submitBackground("bg-2", "gone", REQUEST, background);
    assertThat(background.status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(transport.attempts).isEmpty();
  }

  @Test
  void anAnswerEndsTheRequestAndFreesItsSlot() {
    RecordingListener l = submit();

    FakeAttempt attempt = transport.last();
    assertThat(attempt.replica).isEqualTo("a:1");
    assertThat(attempt.sent)
        .as("the bytes as they came: the model name is the API's")
        .isSameAs(REQUEST);
    assertThat(attempt.timeoutNanos).isEqualTo(API_TIMEOUT.toNanos());
    assertThat(lane().executing()).isEqualTo(1);

    attempt.answer(RESPONSE);

    assertThat(l.response).isEqualTo(RESPONSE);
    assertThat(l.servedBy).isEqualTo("api/r1");
    assertThat(l.calls).hasValue(1);
    assertThat(lane().executing()).isZero();
    assertThat(observer.completed)
        .extracting(RecordingObserver.Completed::code)
        .containsExactly(Status.Code.OK);
    assertThat(lane().takeRequests()).isEqualTo(1);
    assertThat(lane().takeErrors()).isZero();
    assertThat(lane().takeRevisionOutcomes())
        .containsExactly(new RevisionOutcomes.Sample("r1", 1, 0));
  }

  @Test
  void completionsCarryTheFrontEndsProtocolAndAMirroredCopyTakesItsOriginals() {
    routes.swap(
        RouteTable.from(
            RouteSnapshot.newBuilder()
                .setVersion(2)
                .addApis(api("api", "api", 1, 1, "a:1"))
                .addApis(api("mirror", "mirror", 1, 1, "m:1"))
                .addSplitters(
                    SplitterRoute.newBuilder()
                        .setName("split")
                        .addTargets(
                            SplitTarget.newBuilder().setApi("api").setWeight(100).setShadow(false))
                        .addTargets(
                            SplitTarget.newBuilder()
                                .setApi("mirror")
                                .setWeight(100)
                                .setShadow(true)))
                .build()));
    RecordingListener rest =
        new RecordingListener() {
          @Override
          public Protocol protocol() {
            return Protocol.REST;
          }
        };
    dispatcher.submit(
        "split",
        ModelInferRequest.newBuilder().setModelName("split").build().toByteArray(),
        Long.MAX_VALUE,
        rest);
    byte[] answer = ModelInferResponse.newBuilder().setModelName("api").build().toByteArray();
    List.copyOf(transport.attempts).forEach(a -> a.answer(answer));
    submit();
    transport.last().answer(RESPONSE);

    assertThat(observer.completed)
        .extracting(RecordingObserver.Completed::api, RecordingObserver.Completed::protocol)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("api", Protocol.REST),
            org.assertj.core.groups.Tuple.tuple("mirror", Protocol.REST),
            org.assertj.core.groups.Tuple.tuple("api", Protocol.GRPC));
  }

  @Test
  void aFullQueueRefusesWithResourceExhaustedUntilASlotFrees() {
    RecordingListener first = submit();
    RecordingListener second = submit();
    RecordingListener third = submit();

    assertThat(lane().executing()).isEqualTo(1);
    assertThat(lane().queued()).isEqualTo(1);
    assertThat(second.calls).hasValue(0);
    assertThat(third.status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(third.status.getDescription())
        .isEqualTo("the queue of API 'api' is full (1 requests waiting); retry later");
    assertThat(third.servedBy).isEqualTo("api/r1");

    transport.attempts.get(0).answer(RESPONSE);

    assertThat(first.response).isEqualTo(RESPONSE);
    assertThat(transport.attempts).hasSize(2);
    assertThat(lane().queued()).isZero();
    assertThat(lane().executing()).isEqualTo(1);

    transport.attempts.get(1).answer(RESPONSE);
    assertThat(second.response).isEqualTo(RESPONSE);
    assertThat(lane().executing()).isZero();
    assertThat(lane().takeErrors()).as("the refusal only").isEqualTo(1);

    RecordingListener fourth = submit();
    assertThat(transport.attempts).as("admitted again once the queue emptied").hasSize(3);
    assertThat(fourth.calls).hasValue(0);
  }

  @Test
  void aReplicasErrorIsTheAnswerWithoutRetryAndFreesTheSlot() {
    routes.swap(table(api("api", "api", 1, 1, "a:1", "b:1")));
    RecordingListener l = submit();

    transport.last().replicaError(Status.INVALID_ARGUMENT.withDescription("bad tensor"));

    assertThat(l.status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(l.status.getDescription()).isEqualTo("bad tensor");
    assertThat(transport.attempts).hasSize(1);
    assertThat(delayed).isEmpty();
    assertThat(lane().executing()).isZero();
    assertThat(ejector.ejected()).isEmpty();
    assertThat(lane().takeRevisionOutcomes())
        .containsExactly(new RevisionOutcomes.Sample("r1", 1, 1));
  }

  @Test
  void anOkWithoutMessageIsAnInternalError() {
    RecordingListener l = submit();

    transport.last().answer(null);

    assertThat(l.status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(l.status.getDescription()).isEqualTo("replica answered without a message");
    assertThat(lane().executing()).isZero();
  }

  @Test
  void cancellingAQueuedRequestTakesItOutOfTheQueue() {
    submit();
    RecordingListener queued = new RecordingListener();
    InferenceDispatcher.Handle handle = dispatcher.submit("api", REQUEST, Long.MAX_VALUE, queued);
    assertThat(lane().queued()).isEqualTo(1);

    handle.cancel();

    assertThat(lane().queued()).isZero();
    assertThat(queued.calls).as("nobody listens to a cancelled request").hasValue(0);
    assertThat(observer.completed)
        .extracting(RecordingObserver.Completed::code)
        .containsExactly(Status.Code.CANCELLED);
    transport.attempts.get(0).answer(RESPONSE);
    assertThat(transport.attempts).as("the cancelled request is never forwarded").hasSize(1);
    assertThat(lane().executing()).isZero();
  }

  @Test
  void cancellingAForwardedRequestCancelsItsAttemptAndFreesTheSlot() {
    RecordingListener l = new RecordingListener();
    InferenceDispatcher.Handle handle = dispatcher.submit("api", REQUEST, Long.MAX_VALUE, l);
    RecordingListener queued = submit();

    handle.cancel();
    handle.cancel();

    assertThat(transport.attempts.get(0).cancelled).isEqualTo("the client cancelled the request");
    assertThat(l.calls).hasValue(0);
    assertThat(observer.completed).hasSize(1);
    assertThat(lane().takeRevisionOutcomes()).as("a cancel blames no revision").isEmpty();
    assertThat(transport.attempts).as("the freed slot goes to the queued request").hasSize(2);
    transport.attempts.get(1).answer(RESPONSE);
    assertThat(queued.response).isEqualTo(RESPONSE);
    assertThat(lane().executing()).isZero();
    assertThat(lane().queued()).isZero();
  }

  @Test
  void aQueuedRequestPastItsDeadlineEndsWithDeadlineExceeded() {
    submit();
    RecordingListener queued = submit(ticker.nanos() + Duration.ofMillis(500).toNanos());

    ticker.advance(Duration.ofMillis(500));
    dispatcher.expireAll();

    assertThat(queued.status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(queued.status.getDescription())
        .isEqualTo(
            "the request to API 'api' did not complete within its deadline (API timeout PT2S,"
                + " or the client's sooner deadline)");
    assertThat(lane().queued()).isZero();
    assertThat(lane().executing()).isEqualTo(1);
  }

  @Test
  void anAttemptGetsWhatIsLeftOfTheSoonerDeadlineAndItsTimeoutFreesTheSlot() {
    long clientDeadline = ticker.nanos() + Duration.ofMillis(300).toNanos();
    submit();
    RecordingListener l = submit(clientDeadline);
    ticker.advance(Duration.ofMillis(100));

    transport.attempts.get(0).answer(RESPONSE);

    FakeAttempt attempt = transport.last();
    assertThat(attempt.timeoutNanos).isEqualTo(Duration.ofMillis(200).toNanos());
    attempt.transportError(
        Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after"), true);
    assertThat(l.status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(l.status.getDescription()).startsWith("the request to API 'api' did not complete");
    assertThat(delayed).as("a deadline is never retried").isEmpty();
    assertThat(lane().executing()).isZero();
  }

  @Test
  void aRequestWhoseDeadlineHasPassedIsNeverForwarded() {
    RecordingListener late = submit(ticker.nanos());

    assertThat(transport.attempts).as("its slot was taken, then given back").isEmpty();
    assertThat(late.status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(lane().executing()).isZero();

    submit();
    RecordingListener queued = submit(ticker.nanos() + Duration.ofMillis(300).toNanos());
    ticker.advance(Duration.ofMillis(300));
    transport.attempts.get(0).answer(RESPONSE);

    assertThat(transport.attempts).hasSize(1);
    assertThat(queued.status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(lane().queued()).isZero();
    assertThat(lane().executing()).isZero();
  }

  @Test
  void aRequestThatNeverReachedItsReplicaIsRetriedOnAnotherAfterTheBackoff() {
    routes.swap(table(api("api", "api", 1, 1, "a:1", "b:1")));
    RecordingListener l = submit();
    FakeAttempt first = transport.last();

    first.transportError(
        Status.UNAVAILABLE.withDescription("Connection closed while stream is buffered"), false);

    assertThat(l.calls).hasValue(0);
    assertThat(lane().executing()).as("no slot held during the backoff").isZero();
    assertThat(ejector.isEjected(first.replica)).isTrue();
    assertThat(delayed).extracting(Delayed::nanos).containsExactly(BACKOFF.toNanos());

    runDelayed();

    FakeAttempt second = transport.last();
    assertThat(transport.attempts).hasSize(2);
    assertThat(second.replica).isNotEqualTo(first.replica);
    assertThat(lane().executing()).isEqualTo(1);
    second.answer(RESPONSE);
    assertThat(l.response).isEqualTo(RESPONSE);
    assertThat(lane().executing()).isZero();
  }

  @Test
  void aRefusedConnectionCountsTowardsEjectionAndIsRetried() {
    routes.swap(table(api("api", "api", 1, 1, "a:1", "b:1")));
    RecordingListener l = submit();
    FakeAttempt first = transport.last();

    first.transportError(
        Status.UNAVAILABLE.withCause(new ConnectException("Connection refused")), false);

    assertThat(ejector.isEjected(first.replica)).as("one refusal of three").isFalse();
    runDelayed();
    FakeAttempt second = transport.last();
    assertThat(second.replica).isNotEqualTo(first.replica);

    second.transportError(
        Status.UNAVAILABLE.withCause(new ConnectException("Connection refused")), false);

    assertThat(l.status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(l.status.getDescription())
        .isEqualTo(
            "no replica of API 'api' accepted the request (2 tried; last: "
                + second.replica
                + " refused the connection)");
    assertThat(lane().executing()).isZero();
    assertThat(lane().queued()).isZero();
  }

  @Test
  void aRequestLostInFlightIsNeverRetriedAndEjectsItsReplica() {
    routes.swap(table(api("api", "api", 1, 1, "a:1", "b:1")));
    RecordingListener l = submit();
    FakeAttempt attempt = transport.last();

    attempt.transportError(
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new IOException("Connection reset by peer")),
        true);

    assertThat(delayed).isEmpty();
    assertThat(transport.attempts).hasSize(1);
    assertThat(l.status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(l.status.getDescription())
        .isEqualTo(AttemptFailure.replicaDied("api", attempt.replica));
    assertThat(ejector.isEjected(attempt.replica)).isTrue();
    assertThat(lane().executing()).isZero();
  }

  @Test
  void aRetryThatFindsTheClientGoneIsDropped() {
    routes.swap(table(api("api", "api", 1, 1, "a:1", "b:1")));
    RecordingListener l = new RecordingListener();
    InferenceDispatcher.Handle handle = dispatcher.submit("api", REQUEST, Long.MAX_VALUE, l);
    transport.last().transportError(Status.UNAVAILABLE.withDescription("closed"), false);

    handle.cancel();
    runDelayed();

    assertThat(transport.attempts).hasSize(1);
    assertThat(lane().queued()).isZero();
    assertThat(lane().executing()).isZero();
  }

  @Test
  void theModelNameIsRewrittenForTheReplicaAndBackForTheClient() {
    routes.swap(table(api("api", "served-model", 1, 1, "a:1")));
    byte[] request =
        ModelInferRequest.newBuilder().setModelName("api").setId("7").build().toByteArray();
    RecordingListener l = new RecordingListener();
    dispatcher.submit("api", request, Long.MAX_VALUE, l);

    FakeAttempt attempt = transport.last();
    assertThat(parseRequest(attempt.sent).getModelName()).isEqualTo("served-model");
    attempt.answer(
        ModelInferResponse.newBuilder()
            .setModelName("served-model")
            .setId("7")
            .build()
            .toByteArray());

    assertThat(parseResponse(l.response).getModelName()).isEqualTo("api");
  }

  @Test
  void aRouterWithoutRoutesYetAnswersUnavailableNotNotFound() {
    RouteTableHolder empty = new RouteTableHolder();
    InferenceDispatcher starting =
        new InferenceDispatcher(
            empty,
            transport,
            new RetryPolicy(3, BACKOFF, Duration.ofMillis(20)),
            ejector,
            ticker,
            sweepTimer,
            (nanos, task) -> delayed.add(new Delayed(nanos, task)),
            observer,
            new SplittableRandom(7));
    RecordingListener l = new RecordingListener();

    assertThat(starting.submit("api", REQUEST, Long.MAX_VALUE, l))
        .isSameAs(InferenceDispatcher.Handle.NONE);

    assertThat(l.status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(transport.attempts).isEmpty();
  }

  @Test
  void anUnknownNameIsNotFoundAndARemovedApiEndsItsQueuedRequests() {
    RecordingListener unknown = new RecordingListener();
    assertThat(dispatcher.submit("nope", REQUEST, Long.MAX_VALUE, unknown))
        .isSameAs(InferenceDispatcher.Handle.NONE);
    assertThat(unknown.status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.status.getDescription())
        .isEqualTo("no API or traffic splitter named 'nope'");

    submit();
    RecordingListener queued = submit();
    routes.swap(table(api("other", "other", 1, 1, "c:1")));

    assertThat(queued.status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(queued.status.getDescription())
        .isEqualTo("API 'api' was removed while the request waited");
    assertThat(dispatcher.lane("api")).isNull();
    assertThat(transport.retained).containsExactly("c:1");
  }

  @Test
  void aQueuedRequestWithoutUsableReplicaIsReportedForWakeUp() {
    routes.swap(table(api("api", "api", 1, 1)));

    submit();

    assertThat(observer.noReadyReplica).containsExactly("api");
    assertThat(dispatcher.ready("api")).isFalse();
  }

  private static ModelInferRequest parseRequest(byte[] bytes) {
    try {
      return ModelInferRequest.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static ModelInferResponse parseResponse(byte[] bytes) {
    try {
      return ModelInferResponse.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
