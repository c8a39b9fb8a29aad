package io.serval.router.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.router.queue.Ticker;
import io.serval.store.AsyncRecord;
import io.serval.store.AsyncState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResultWaitersTest {
  private final AtomicLong now = new AtomicLong();
  private final Ticker ticker = now::get;

  private static AsyncRecord succeeded(String id) {
    return new AsyncRecord(
        id,
        "api",
        AsyncState.SUCCEEDED,
        1,
        Instant.EPOCH,
        Optional.of(Instant.EPOCH),
        Optional.of("application/json"),
        Optional.of("{}".getBytes(StandardCharsets.UTF_8)),
        Optional.empty());
  }

  private static CompletableFuture<Optional<AsyncRecord>> held(
      ResultWaiters w, String id, Duration wait) {
    return w.add(id, wait).orElseThrow();
  }

  @Test
  void aFinishedRequestIsHandedToEveryWaiterOfItsIdAndNoOther() {
    ResultWaiters w = new ResultWaiters(10, ticker);
    CompletableFuture<Optional<AsyncRecord>> a1 = held(w, "a", Duration.ofSeconds(5));
    CompletableFuture<Optional<AsyncRecord>> a2 = held(w, "a", Duration.ofSeconds(5));
    CompletableFuture<Optional<AsyncRecord>> b = held(w, "b", Duration.ofSeconds(5));

    AsyncRecord record = succeeded("a");
    assertThat(w.finished(record)).isEqualTo(2);

    assertThat(a1).isCompletedWithValue(Optional.of(record));
    assertThat(a2).isCompletedWithValue(Optional.of(record));
    assertThat(b).isNotDone();
    assertThat(w.size()).isEqualTo(1);
    assertThat(w.ids()).containsExactly("b");
    assertThat(w.finished(record)).as("told twice: nobody waits any more").isZero();
  }

  @Test
  void pastTheBoundAWaiterIsRefusedUntilOneLeaves() {
    ResultWaiters w = new ResultWaiters(2, ticker);
    held(w, "a", Duration.ofSeconds(5));
    CompletableFuture<Optional<AsyncRecord>> b = held(w, "b", Duration.ofSeconds(5));

    assertThat(w.add("c", Duration.ofSeconds(5))).isEmpty();
    assertThat(w.size()).isEqualTo(2);

    w.finished(succeeded("b"));
    assertThat(b).isDone();
    assertThat(w.add("c", Duration.ofSeconds(5))).isPresent();
    assertThat(new ResultWaiters(0, ticker).add("a", Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void aWaitEndsAtItsDeadlineWithNothingHanded() {
    ResultWaiters w = new ResultWaiters(10, ticker);
    CompletableFuture<Optional<AsyncRecord>> shortWait = held(w, "a", Duration.ofSeconds(1));
    CompletableFuture<Optional<AsyncRecord>> longWait = held(w, "a", Duration.ofSeconds(3));

    now.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(w.expireDue()).isZero();
    assertThat(shortWait).isNotDone();

    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(w.expireDue()).isEqualTo(1);
    assertThat(shortWait).isCompletedWithValue(Optional.empty());
    assertThat(longWait).isNotDone();
    assertThat(w.size()).isEqualTo(1);

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(w.expireDue()).isEqualTo(1);
    assertThat(longWait).isCompletedWithValue(Optional.empty());
    assertThat(w.size()).isZero();
    assertThat(w.ids()).isEmpty();
  }

  @Test
  void aCancelledWaiterIsRemovedAndTakesNoRoom() {
    ResultWaiters w = new ResultWaiters(1, ticker);
    CompletableFuture<Optional<AsyncRecord>> gone = held(w, "a", Duration.ofSeconds(5));

    gone.cancel(false); // the client closed its connection

    assertThat(w.size()).isZero();
    assertThat(w.ids()).isEmpty();
    CompletableFuture<Optional<AsyncRecord>> next = held(w, "a", Duration.ofSeconds(5));
    AsyncRecord record = succeeded("a");
    assertThat(w.finished(record)).isEqualTo(1);
    assertThat(next).isCompletedWithValue(Optional.of(record));
  }

  @Test
  void requestsFinishedElsewhereSendTheirWaitersToTheStore() {
    ResultWaiters w = new ResultWaiters(10, ticker);
    CompletableFuture<Optional<AsyncRecord>> a = held(w, "a", Duration.ofSeconds(5));
    CompletableFuture<Optional<AsyncRecord>> b = held(w, "b", Duration.ofSeconds(5));

    assertThat(w.changed(List.of("a", "unknown"))).isEqualTo(1);

    assertThat(a).isCompletedWithValue(Optional.empty());
    assertThat(b).isNotDone();
    assertThat(w.ids()).containsExactly("b");
  }
}
