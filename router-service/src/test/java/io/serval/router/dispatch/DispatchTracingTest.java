package io.serval.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.serval.router.dispatch.FakeTransport.FakeAttempt;
import io.serval.router.queue.FakeTicker;
import io.serval.router.routing.RouteTableHolder;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the dispatcher tells its {@link RequestTracer}, in order, on each way a request goes: the
 * spans of docs/observability.md are drawn from exactly these calls.
 */
class DispatchTracingTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeTransport transport = new FakeTransport();
  private final RouteTableHolder routes = new RouteTableHolder();
  private final List<Runnable> delayed = new ArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService timer;
  private InferenceDispatcher dispatcher;

  private final RequestTracer tracer =
      (api, revision) -> {
        events.add("admitted " + api + " " + revision);
        return new RequestTrace() {
          @Override
          public void queued() {
            events.add("queued");
          }

          @Override
          public void dispatched(String replica) {
            events.add("dispatched " + replica);
          }

          @Override
          public void inject(Metadata headers) {
            events.add("inject");
          }

          @Override
          public void attemptEnded(Status status) {
            events.add("attemptEnded " + status.getCode());
          }

          @Override
          public void finished(Status.Code code) {
            events.add("finished " + code);
          }
        };
      };

  @BeforeEach
  void setUp() {
    timer = Executors.newSingleThreadScheduledExecutor();
    routes.swap(
        InferenceDispatcherTest.table(InferenceDispatcherTest.api("api", "api", 1, 1, "a:1")));
    dispatcher =
        new InferenceDispatcher(
            routes,
            transport,
            new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20)),
            new ReplicaEjector(3),
            ticker,
            timer,
            (nanos, task) -> delayed.add(task),
            DispatchObserver.NONE,
            tracer,
            new SplittableRandom(7));
  }

  @AfterEach
  void tearDown() {
    timer.shutdownNow();
  }

  private RecordingListener submit() {
    RecordingListener l = new RecordingListener();
    dispatcher.submit("req-1", "api", new byte[] {1}, Long.MAX_VALUE, l);
    return l;
  }

  @Test
  void aRequestWithAFreeSlotForwardsAtOnceWithoutAQueueWait() {
    submit();
    transport.last().answer(new byte[] {2});
    assertThat(events)
        .containsExactly("admitted api r1", "dispatched a:1", "attemptEnded OK", "finished OK");
  }

  @Test
  void aRequestThatQueuesWaitsThenForwardsWhenTheSlotFrees() {
    submit(); // holds the one slot
    submit(); // queued
    transport.last().answer(new byte[] {2});
    assertThat(events)
        .containsExactly(
            "admitted api r1",
            "dispatched a:1",
            "admitted api r1",
            "queued",
            "attemptEnded OK",
            "finished OK",
            "dispatched a:1");
  }

  @Test
  void aRequestRefusedByAFullQueueEndsWithoutAForward() {
    submit(); // holds the one slot
    submit(); // queued (max queue length 1)
    submit(); // refused
    assertThat(events)
        .containsExactly(
            "admitted api r1",
            "dispatched a:1",
            "admitted api r1",
            "queued",
            "admitted api r1",
            "finished RESOURCE_EXHAUSTED");
  }

  @Test
  void aRetryIsASecondForwardOfTheSameTrace() {
    routes.swap(
        InferenceDispatcherTest.table(
            InferenceDispatcherTest.api("api", "api", 1, 1, "a:1", "b:1")));
    submit();
    FakeAttempt first = transport.last();
    first.transportError(
        Status.UNAVAILABLE.withCause(new ConnectException("Connection refused")), false);
    delayed.forEach(Runnable::run);
    FakeAttempt second = transport.last();
    second.answer(new byte[] {2});
    assertThat(events)
        .containsExactly(
            "admitted api r1",
            "dispatched " + first.replica,
            "attemptEnded UNAVAILABLE",
            "dispatched " + second.replica,
            "attemptEnded OK",
            "finished OK");
  }

  @Test
  void aClientCancelEndsTheTraceAndTheAttempt() {
    RecordingListener l = new RecordingListener();
    InferenceDispatcher.Handle h =
        dispatcher.submit("req-2", "api", new byte[] {1}, Long.MAX_VALUE, l);
    h.cancel();
    assertThat(events).startsWith("admitted api r1", "dispatched a:1", "finished CANCELLED");
    assertThat(transport.last().cancelled).isNotNull();
  }
}
