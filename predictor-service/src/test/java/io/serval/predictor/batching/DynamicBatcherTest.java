package io.serval.predictor.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

  /** A clock the test moves by hand. */
  static final class ManualTicker implements Ticker {
    final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
      return now.get();
    }

    void advance(Duration d) {
      now.addAndGet(d.toNanos());
    }
  }

  private final ManualTicker ticker = new ManualTicker();

  private DynamicBatcher<String, String> batcher(int maxBatch, Duration delay, int maxQueue) {
    return new DynamicBatcher<>(new BatchingPolicy(maxBatch, delay, maxQueue), ticker);
  }

  private static List<String> inputs(Batch<String, String> b) {
    return b.entries().stream().map(Batch.Entry::input).toList();
  }

  @Test
  void fullBatchIsReleasedWithoutWaiting() {
    var b = batcher(4, Duration.ofSeconds(1), 100);
    b.submit("k", 2, "r1");
    assertThat(b.poll()).isNull();
    b.submit("k", 2, "r2");

    Batch<String, String> batch = b.poll();
    assertThat(batch).isNotNull();
    assertThat(inputs(batch)).containsExactly("r1", "r2");
    assertThat(batch.rows()).isEqualTo(4);
    assertThat(b.poll()).isNull();
    assertThat(b.queued()).isZero();
  }

  @Test
  void incompleteBatchIsReleasedWhenItsOldestRequestHasWaitedTheDelay() {
    var b = batcher(8, Duration.ofMillis(2), 100);
    b.submit("k", 1, "r1");
    ticker.advance(Duration.ofMillis(1));
    b.submit("k", 1, "r2");
    ticker.advance(Duration.ofNanos(999_999));
    assertThat(b.poll()).as("1.999 ms after the first request").isNull();

    ticker.advance(Duration.ofNanos(1));
    Batch<String, String> batch = b.poll();
    assertThat(batch).isNotNull();
    assertThat(inputs(batch)).containsExactly("r1", "r2");
    assertThat(batch.rows()).isEqualTo(2);
  }

  @Test
  void withdrawnRequestLeavesAnOpenBatchAndNeverRuns() {
    var b = batcher(4, Duration.ofMillis(2), 100);
    b.submit("k", 1, "r1");
    CompletableFuture<String> gone = b.submit("k", 1, "r2");
    b.submit("k", 1, "r3");

    assertThat(b.withdraw(gone)).isTrue();
    assertThat(b.queued()).isEqualTo(2);
    assertThat(b.withdraw(gone)).as("a second withdrawal finds nothing").isFalse();

    ticker.advance(Duration.ofMillis(2));
    Batch<String, String> batch = b.poll();
    assertThat(inputs(batch)).containsExactly("r1", "r3");
    assertThat(batch.rows()).isEqualTo(2);
    assertThat(b.queued()).isZero();
  }

  @Test
  void withdrawnRequestLeavesAReadyBatchAndAnEmptyBatchDisappears() {
    var b = batcher(1, Duration.ofMillis(2), 100);
    CompletableFuture<String> first = b.submit("k", 1, "r1");
    b.submit("k", 1, "r2");

    assertThat(b.withdraw(first)).isTrue();
    assertThat(b.queued()).isEqualTo(1);
    assertThat(inputs(b.poll())).containsExactly("r2");
    assertThat(b.poll()).isNull();
    assertThat(b.queued()).isZero();
  }

  @Test
  void requestAlreadyTakenCannotBeWithdrawn() {
    var b = batcher(1, Duration.ZERO, 100);
    CompletableFuture<String> taken = b.submit("k", 1, "r1");
    assertThat(b.poll()).isNotNull();

    assertThat(b.withdraw(taken)).isFalse();
    assertThat(b.queued()).isZero();
  }

  @Test
  void withdrawalFreesRoomInABoundedQueue() {
    var b = batcher(8, Duration.ofSeconds(1), 2);
    CompletableFuture<String> gone = b.submit("k", 1, "r1");
    b.submit("k", 1, "r2");
    assertThatThrownBy(() -> b.submit("k", 1, "r3")).isInstanceOf(QueueFullException.class);

    b.withdraw(gone);
    b.submit("k", 1, "r3");
    assertThat(b.queued()).isEqualTo(2);
  }

  @Test
  void zeroDelayReleasesAtOnce() {
    var b = batcher(8, Duration.ZERO, 100);
    b.submit("k", 1, "r1");
    assertThat(inputs(b.poll())).containsExactly("r1");
  }

  @Test
  void differentKeysNeverShareABatch() {
    var b = batcher(8, Duration.ofMillis(2), 100);
    b.submit("shape[3]", 1, "a1");
    b.submit("shape[5]", 1, "b1");
    b.submit("shape[3]", 1, "a2");
    ticker.advance(Duration.ofMillis(2));

    Batch<String, String> first = b.poll();
    Batch<String, String> second = b.poll();
    assertThat(first.key()).isEqualTo("shape[3]");
    assertThat(inputs(first)).containsExactly("a1", "a2");
    assertThat(second.key()).isEqualTo("shape[5]");
    assertThat(inputs(second)).containsExactly("b1");
    assertThat(b.poll()).isNull();
  }

  @Test
  void requestThatWouldOverflowClosesTheOpenBatchAndStartsANewOne() {
    var b = batcher(4, Duration.ofSeconds(1), 100);
    b.submit("k", 3, "r1");
    b.submit("k", 2, "r2");

    Batch<String, String> first = b.poll();
    assertThat(inputs(first)).containsExactly("r1");
    assertThat(first.rows()).isEqualTo(3);
    assertThat(b.poll()).as("r2 waits for company").isNull();
    b.submit("k", 2, "r3");
    assertThat(inputs(b.poll())).containsExactly("r2", "r3");
  }

  @Test
  void requestLargerThanTheMaximumRunsAlone() {
    var b = batcher(4, Duration.ofSeconds(1), 100);
    b.submit("k", 1, "small");
    b.submit("k", 10, "large");
    assertThat(inputs(b.poll())).containsExactly("small");
    Batch<String, String> large = b.poll();
    assertThat(inputs(large)).containsExactly("large");
    assertThat(large.rows()).isEqualTo(10);
  }

  @Test
  void batchingOffMakesEveryRequestItsOwnBatchInArrivalOrder() {
    var b = batcher(1, Duration.ofSeconds(1), 100);
    for (int i = 0; i < 5; i++) {
      b.submit("k" + (i % 2), 1, "r" + i);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(inputs(b.poll())).containsExactly("r" + i);
    }
  }

  @Test
  void queueIsBoundedAndRefusesAtOnceNamingItsSize() {
    var b = batcher(8, Duration.ofSeconds(1), 2);
    b.submit("k", 1, "r1");
    b.submit("k", 1, "r2");
    assertThatThrownBy(() -> b.submit("k", 1, "r3"))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("queue is full")
        .hasMessageContaining("max-queue-size 2");
    assertThat(b.queued()).isEqualTo(2);

    ticker.advance(Duration.ofSeconds(1));
    assertThat(b.poll().size()).isEqualTo(2);
    b.submit("k", 1, "r4");
    assertThat(b.queued()).isEqualTo(1);
  }

  @Test
  void failedBatchFailsItsRequestsAndNothingElse() {
    var b = batcher(2, Duration.ofSeconds(1), 100);
    CompletableFuture<String> a1 = b.submit("a", 1, "a1");
    CompletableFuture<String> a2 = b.submit("a", 1, "a2");
    CompletableFuture<String> c1 = b.submit("c", 1, "c1");

    RuntimeException boom = new RuntimeException("model exploded");
    b.poll().fail(boom);

    assertThatThrownBy(a1::get).isInstanceOf(ExecutionException.class).hasCause(boom);
    assertThatThrownBy(a2::get).isInstanceOf(ExecutionException.class).hasCause(boom);
    assertThat(c1).isNotDone();
    ticker.advance(Duration.ofSeconds(1));
    b.poll().complete(List.of("C1"));
    assertThat(c1).isCompletedWithValue("C1");
  }

  @Test
  void resultsGoBackToTheirRequestsInOrder() {
    var b = batcher(3, Duration.ofSeconds(1), 100);
    var f1 = b.submit("k", 1, "x");
    var f2 = b.submit("k", 1, "y");
    var f3 = b.submit("k", 1, "z");
    Batch<String, String> batch = b.poll();
    batch.complete(inputs(batch).stream().map(String::toUpperCase).toList());
    assertThat(f1).isCompletedWithValue("X");
    assertThat(f2).isCompletedWithValue("Y");
    assertThat(f3).isCompletedWithValue("Z");
  }

  @Test
  void wrongNumberOfResultsFailsTheBatch() {
    var b = batcher(2, Duration.ofSeconds(1), 100);
    var f1 = b.submit("k", 1, "x");
    var f2 = b.submit("k", 1, "y");
    b.poll().complete(List.of("only one"));
    assertThat(f1).isCompletedExceptionally();
    assertThat(f2).isCompletedExceptionally();
  }

  @Test
  void olderBatchesAreReleasedFirst() {
    var b = batcher(8, Duration.ofMillis(2), 100);
    b.submit("late", 1, "l1");
    ticker.advance(Duration.ofMillis(1));
    b.submit("later", 1, "m1");
    ticker.advance(Duration.ofMillis(1));
    assertThat(inputs(b.poll())).containsExactly("l1");
    assertThat(b.poll()).isNull();
    ticker.advance(Duration.ofMillis(1));
    assertThat(inputs(b.poll())).containsExactly("m1");
  }

  @Test
  void closeReleasesQueuedRequestsAtOnceAndRefusesNewOnes() throws InterruptedException {
    var b = batcher(8, Duration.ofHours(1), 100);
    b.submit("k", 1, "r1");
    b.close();
    assertThatThrownBy(() -> b.submit("k", 1, "r2"))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("shutting down")
        .matches(e -> ((QueueFullException) e).closed());
    assertThat(b.isDrained()).isFalse();
    assertThat(inputs(b.take(1, TimeUnit.SECONDS))).containsExactly("r1");
    assertThat(b.isDrained()).isTrue();
    assertThat(b.take(1, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void failQueuedFailsEveryWaitingRequest() {
    var b = batcher(8, Duration.ofHours(1), 100);
    var f1 = b.submit("a", 1, "r1");
    var f2 = b.submit("b", 1, "r2");
    RuntimeException gone = new RuntimeException("gone");
    assertThat(b.failQueued(gone)).isEqualTo(2);
    assertThat(f1).isCompletedExceptionally();
    assertThat(f2).isCompletedExceptionally();
    assertThat(b.queued()).isZero();
  }

  @Test
  void takeWaitsForTheDelayWithARealClock() throws Exception {
    var b =
        new DynamicBatcher<String, String>(
            new BatchingPolicy(8, Duration.ofMillis(20), 10), Ticker.system());
    long start = System.nanoTime();
    b.submit("k", 1, "r1");
    Batch<String, String> batch = b.take(5, TimeUnit.SECONDS);
    long waited = System.nanoTime() - start;
    assertThat(inputs(batch)).containsExactly("r1");
    assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    assertThat(b.take(10, TimeUnit.MILLISECONDS)).as("nothing left").isNull();
  }

  @Test
  void requestsJoiningAnOpenBatchDoNotWakeTheWaitingWorker() throws Exception {
    AtomicLong workerReads = new AtomicLong();
    AtomicReference<Thread> worker = new AtomicReference<>();
    // Every pass of take()'s loop reads the clock once: its reads count the worker's wake-ups.
    Ticker counting =
        () -> {
          if (Thread.currentThread() == worker.get()) {
            workerReads.incrementAndGet();
          }
          return ticker.nanoTime();
        };
    var b =
        new DynamicBatcher<String, String>(
            new BatchingPolicy(64, Duration.ofHours(1), 100), counting);
    CompletableFuture<Batch<String, String>> taken = new CompletableFuture<>();
    Thread t =
        Thread.ofPlatform()
            .unstarted(
                () -> {
                  try {
                    taken.complete(b.take(1, TimeUnit.HOURS));
                  } catch (InterruptedException e) {
                    taken.completeExceptionally(e);
                  }
                });
    worker.set(t);
    t.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> b.waitingWorkers() == 1);
    b.submit("k", 1, "r0");
    // The first open batch wakes the worker once, to time its delay.
    await().atMost(Duration.ofSeconds(10)).until(() -> workerReads.get() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.waitingWorkers() == 1);
    for (int i = 1; i < 10; i++) {
      b.submit("k", 1, "r" + i);
      await().atMost(Duration.ofSeconds(10)).until(() -> b.waitingWorkers() == 1);
    }
    assertThat(workerReads.get()).isEqualTo(2);

    b.close();
    assertThat(inputs(taken.get(10, TimeUnit.SECONDS))).hasSize(10);
    t.join(10_000);
  }

  @Test
  void aSecondOpenBatchIsTimedByAnotherWorkerOnceTheFirstIsTaken() throws Exception {
    var b =
        new DynamicBatcher<String, String>(
            new BatchingPolicy(64, Duration.ofMillis(20), 100), Ticker.system());
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<Batch<String, String>>> takes = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        takes.add(workers.submit(() -> b.take(1, TimeUnit.HOURS)));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> b.waitingWorkers() == 2);
      b.submit("a", 1, "a1");
      b.submit("b", 1, "b1");
      // Only the first open batch wakes a worker; the one that takes it must wake the other for
      // the second, else that one would wait its whole hour.
      List<String> got = new ArrayList<>();
      for (var take : takes) {
        got.addAll(inputs(take.get(10, TimeUnit.SECONDS)));
      }
      assertThat(got).containsExactlyInAnyOrder("a1", "b1");
    } finally {
      b.close();
      workers.shutdownNow();
    }
  }

  @Test
  void manyConcurrentCallersEachGetTheirOwnResult() throws Exception {
    int callers = 8;
    int perCaller = 500;
    int maxBatch = 16;
    var b =
        new DynamicBatcher<Integer, Integer>(
            new BatchingPolicy(maxBatch, Duration.ofMillis(1), callers * perCaller),
            Ticker.system());
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Integer> batchRows = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      Thread t =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!stop.get()) {
                      try {
                        Batch<Integer, Integer> batch = b.take(50, TimeUnit.MILLISECONDS);
                        if (batch != null) {
                          batchRows.add(batch.rows());
                          batch.complete(batch.entries().stream().map(e -> e.input() * 2).toList());
                        }
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      workers.add(t);
    }
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<List<Boolean>>> results = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      results.add(
          pool.submit(
              () -> {
                go.await();
                List<Boolean> ok = new ArrayList<>();
                List<CompletableFuture<Integer>> mine = new ArrayList<>();
                List<Integer> sent = new ArrayList<>();
                for (int i = 0; i < perCaller; i++) {
                  int v = caller * 100_000 + i;
                  sent.add(v);
                  mine.add(b.submit("k" + (i % 3), 1, v));
                }
                for (int i = 0; i < perCaller; i++) {
                  ok.add(mine.get(i).get(10, TimeUnit.SECONDS) == sent.get(i) * 2);
                }
                return ok;
              }));
    }
    go.countDown();
    int checked = 0;
    for (var r : results) {
      List<Boolean> ok = r.get(30, TimeUnit.SECONDS);
      assertThat(ok).containsOnly(true);
      checked += ok.size();
    }
    stop.set(true);
    for (Thread t : workers) {
      t.join(5_000);
    }
    pool.shutdownNow();
    assertThat(checked).isEqualTo(callers * perCaller);
    assertThat(batchRows).allMatch(r -> r >= 1 && r <= maxBatch);
    assertThat(batchRows.stream().mapToInt(Integer::intValue).sum()).isEqualTo(callers * perCaller);
    assertThat(b.queued()).isZero();
  }
}
