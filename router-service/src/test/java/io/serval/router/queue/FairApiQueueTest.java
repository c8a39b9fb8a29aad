package io.serval.router.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.router.queue.FairApiQueue.Admission;
import io.serval.router.queue.FairApiQueue.Drained;
import io.serval.router.queue.FairApiQueue.Entry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FairApiQueueTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Set<String> ejected = new HashSet<>();
  private final FairApiQueue<String> queue =
      new FairApiQueue<>(
          ticker, new ReplicaSelector(new SplittableRandom(5)), r -> !ejected.contains(r), 2, 3);

  FairApiQueueTest() {
    queue.update(2, 3, Map.of("r1", List.of("a", "b")), () -> "r1");
  }

  private Entry<String> entry(String id) {
    return new Entry<>(id, "r1", ticker.nanos() + Duration.ofSeconds(1).toNanos());
  }

  @Test
  void dispatchesAtOnceWhileReplicasHaveFreeSlotsThenQueuesThenRefuses() {
    for (int i = 0; i < 4; i++) {
      assertThat(queue.offer(entry("d" + i))).isEqualTo(Admission.DISPATCHED);
    }
    assertThat(queue.inFlight("a")).isEqualTo(2);
    assertThat(queue.inFlight("b")).isEqualTo(2);
    for (int i = 0; i < 3; i++) {
      assertThat(queue.offer(entry("q" + i))).isEqualTo(Admission.QUEUED);
    }
    assertThat(queue.offer(entry("over"))).isEqualTo(Admission.REJECTED);
    assertThat(queue.queued()).isEqualTo(3);
    assertThat(queue.executing()).isEqualTo(4);
  }

  @Test
  void aFreedSlotTakesTheOldestQueuedRequest() {
    for (int i = 0; i < 4; i++) {
      queue.offer(entry("d" + i));
    }
    Entry<String> first = entry("first");
    Entry<String> second = entry("second");
    queue.offer(first);
    queue.offer(second);
    assertThat(queue.drain().dispatched()).isEmpty();

    queue.release("b", false);
    Drained<String> drained = queue.drain();
    assertThat(drained.dispatched()).containsExactly(first);
    assertThat(first.replica()).isEqualTo("b");
    assertThat(queue.queued()).isEqualTo(1);
  }

  @Test
  void expiredRequestsAreRemovedWithoutDispatch() {
    for (int i = 0; i < 4; i++) {
      queue.offer(entry("d" + i));
    }
    Entry<String> waiting = entry("waiting");
    queue.offer(waiting);
    ticker.advance(Duration.ofMillis(999));
    assertThat(queue.expire()).isEmpty();
    ticker.advance(Duration.ofMillis(1));
    assertThat(queue.expire()).containsExactly(waiting);
    assertThat(queue.queued()).isZero();

    Entry<String> late = entry("late");
    queue.offer(late);
    ticker.advance(Duration.ofSeconds(2));
    queue.release("a", false);
    Drained<String> drained = queue.drain();
    assertThat(drained.dispatched()).isEmpty();
    assertThat(drained.expired()).containsExactly(late);
    assertThat(late.replica()).isNull();
  }

  @Test
  void cancelledRequestsLeaveTheQueue() {
    for (int i = 0; i < 4; i++) {
      queue.offer(entry("d" + i));
    }
    Entry<String> e = entry("cancel-me");
    queue.offer(e);
    assertThat(queue.cancel(e)).isTrue();
    assertThat(queue.cancel(e)).isFalse();
    queue.release("a", false);
    assertThat(queue.drain().dispatched()).isEmpty();
  }

  @Test
  void aNewReplicaTakesQueuedWorkAtOnce() {
    for (int i = 0; i < 4; i++) {
      queue.offer(entry("d" + i));
    }
    Entry<String> q1 = entry("q1");
    Entry<String> q2 = entry("q2");
    queue.offer(q1);
    queue.offer(q2);
    queue.update(2, 3, Map.of("r1", List.of("a", "b", "c")), () -> "r1");
    assertThat(queue.drain().dispatched()).containsExactly(q1, q2);
    assertThat(queue.inFlight("c")).isEqualTo(2);
  }

  @Test
  void ejectedReplicasGetNoWork() {
    ejected.add("a");
    queue.offer(entry("1"));
    queue.offer(entry("2"));
    assertThat(queue.offer(entry("3"))).isEqualTo(Admission.QUEUED);
    assertThat(queue.inFlight("a")).isZero();
    assertThat(queue.inFlight("b")).isEqualTo(2);
  }

  @Test
  void aRequeuedRetryGoesFirstAndAvoidsTheReplicaItTried() {
    Entry<String> e = entry("retry");
    queue.offer(e);
    String refused = e.replica();
    queue.release(refused, false);
    assertThat(queue.hasUntriedReplica(e)).isTrue();
    queue.requeueFirst(e);
    Drained<String> drained = queue.drain();
    assertThat(drained.dispatched()).containsExactly(e);
    assertThat(e.replica()).isNotEqualTo(refused);
    assertThat(e.tried()).containsExactly(refused);
    assertThat(queue.hasUntriedReplica(e)).isFalse();
  }

  @Test
  void queuedRequestsOfARemovedRevisionAreRepinned() {
    queue.update(1, 3, Map.of("r1", List.of()), () -> "r1");
    Entry<String> e = entry("x");
    assertThat(queue.offer(e)).isEqualTo(Admission.QUEUED);
    assertThat(queue.hasUsableReplica()).isFalse();
    queue.update(1, 3, Map.of("r2", List.of("z")), () -> "r2");
    assertThat(e.revision()).isEqualTo("r2");
    assertThat(queue.drain().dispatched()).containsExactly(e);
    assertThat(e.replica()).isEqualTo("z");
  }

  @Test
  void aFullRevisionDoesNotBlockAnotherRevisionBehindIt() {
    queue.update(1, 5, Map.of("r1", List.of("a"), "r2", List.of("b")), () -> "r1");
    queue.offer(new Entry<>("holds-a", "r1", ticker.nanos() + 1_000_000_000L));
    queue.offer(new Entry<>("holds-b", "r2", ticker.nanos() + 1_000_000_000L));
    Entry<String> waitsForA = new Entry<>("waits-a", "r1", ticker.nanos() + 1_000_000_000L);
    Entry<String> waitsForB = new Entry<>("waits-b", "r2", ticker.nanos() + 1_000_000_000L);
    queue.offer(waitsForA);
    queue.offer(waitsForB);
    queue.release("b", false);
    assertThat(queue.drain().dispatched()).containsExactly(waitsForB);
  }

  private Entry<String> background(String id) {
    return new Entry<>(id, "r1", ticker.nanos() + Duration.ofSeconds(60).toNanos(), true);
  }

  private void fillEverySlot() {
    for (int i = 0; i < 4; i++) {
      assertThat(queue.offer(entry("d" + i))).isEqualTo(Admission.DISPATCHED);
    }
  }

  @Test
  void backgroundWorkTakesAFreeSlotWhenNothingElseWaits() {
    assertThat(queue.offer(background("async"))).isEqualTo(Admission.DISPATCHED);
    assertThat(queue.executing()).isEqualTo(1);
    assertThat(queue.freeSlots()).isEqualTo(3);
  }

  @Test
  void aFreedSlotGoesToWaitingRealtimeWorkBeforeOlderBackgroundWork() {
    fillEverySlot();
    Entry<String> async = background("async");
    Entry<String> realtime = entry("realtime");
    assertThat(queue.offer(async)).isEqualTo(Admission.QUEUED);
    assertThat(queue.offer(realtime)).isEqualTo(Admission.QUEUED);

    queue.release("a", false);
    assertThat(queue.drain().dispatched()).containsExactly(realtime);
    queue.release("a", false);
    assertThat(queue.drain().dispatched()).containsExactly(async);
  }

  @Test
  void backgroundWorkIsNotCountedAgainstTheRealtimeQueueBound() {
    fillEverySlot();
    for (int i = 0; i < 10; i++) {
      assertThat(queue.offer(background("bg" + i))).isEqualTo(Admission.QUEUED);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(queue.offer(entry("q" + i))).isEqualTo(Admission.QUEUED);
    }
    assertThat(queue.offer(entry("over"))).isEqualTo(Admission.REJECTED);
    assertThat(queue.queued()).isEqualTo(13);
    assertThat(queue.backgroundQueued()).isEqualTo(10);
    assertThat(queue.freeSlots()).isZero();
  }

  @Test
  void backgroundWorkThatWaitedPastTheBoundGoesAheadOfRealtimeWork() {
    queue.setBackgroundMaxWait(Duration.ofSeconds(2));
    fillEverySlot();
    Entry<String> async = background("async");
    queue.offer(async);
    ticker.advance(Duration.ofMillis(1999));
    Entry<String> realtime = new Entry<>("rt", "r1", ticker.nanos() + 10_000_000_000L);
    queue.offer(realtime);
    queue.release("a", false);
    assertThat(queue.drain().dispatched()).containsExactly(realtime);

    Entry<String> realtime2 = new Entry<>("rt2", "r1", ticker.nanos() + 10_000_000_000L);
    queue.offer(realtime2);
    ticker.advance(Duration.ofMillis(1));
    queue.release("a", false);
    assertThat(queue.drain().dispatched()).containsExactly(async);
    queue.release("b", false);
    assertThat(queue.drain().dispatched()).containsExactly(realtime2);
  }

  @Test
  void aRealtimeArrivalTakesAFreeSlotAtOnceWhileBackgroundWorkWaits() {
    fillEverySlot();
    queue.offer(background("async"));
    queue.release("a", false);
    assertThat(queue.offer(entry("realtime"))).isEqualTo(Admission.DISPATCHED);
    assertThat(queue.backgroundQueued()).isEqualTo(1);
  }

  @Test
  void backgroundEntriesAreCancelledExpiredAndRemovedLikeOthers() {
    fillEverySlot();
    Entry<String> cancelled = background("cancelled");
    Entry<String> kept = background("kept");
    queue.offer(cancelled);
    queue.offer(kept);
    assertThat(queue.cancel(cancelled)).isTrue();
    Entry<String> soon = new Entry<>("soon", "r1", ticker.nanos() + 1_000_000L, true);
    queue.offer(soon);
    ticker.advance(Duration.ofMillis(1));
    assertThat(queue.expire()).containsExactly(soon);
    assertThat(queue.removeAll()).containsExactly(kept);
  }

  @Test
  void anApiWithOnlyBackgroundWorkGivesItEverySlot() {
    assertThat(queue.backgroundRoom()).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(queue.offer(background("bg" + i))).isEqualTo(Admission.DISPATCHED);
    }
    assertThat(queue.backgroundRoom()).isZero();
  }

  @Test
  void backgroundWorkIsKeptOffTheSlotsRecentRealtimeTrafficNeeds() {
    Entry<String> realtime = entry("rt");
    queue.offer(realtime);
    // 4 slots; the realtime peak (1) and the headroom (1) keep 2.
    assertThat(queue.realtimeReserved()).isEqualTo(2);
    assertThat(queue.backgroundRoom()).isEqualTo(2);
    queue.offer(background("bg0"));
    queue.offer(background("bg1"));
    assertThat(queue.backgroundRoom()).isZero();

    queue.release(realtime.replica(), false);
    assertThat(queue.backgroundRoom())
        .as("the realtime request ended, but its slot stays kept within the window")
        .isZero();
    assertThat(queue.offer(entry("next"))).isEqualTo(Admission.DISPATCHED);
  }

  @Test
  void queuedRealtimeRequestsCountInThePeakAndTheReserveDecaysAfterTheWindow() {
    queue.setRealtimeReserve(Duration.ofSeconds(10), 0);
    List<Entry<String>> realtime = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Entry<String> e = entry("rt" + i);
      realtime.add(e);
      queue.offer(e);
    }
    List<Entry<String>> holding = new java.util.ArrayList<>(realtime.subList(0, 4));
    while (!holding.isEmpty()) {
      queue.release(holding.remove(0).replica(), false);
      holding.addAll(queue.drain().dispatched());
    }
    assertThat(queue.executing()).isEqualTo(0);
    assertThat(queue.realtimeReserved()).as("4 in flight and 2 waiting at the peak").isEqualTo(6);
    assertThat(queue.backgroundRoom()).as("floor: nothing of it was let in yet").isEqualTo(1);
    queue.offer(background("bg"));
    assertThat(queue.backgroundRoom()).isZero();

    ticker.advance(Duration.ofSeconds(10));
    assertThat(queue.realtimeReserved()).isZero();
    assertThat(queue.backgroundRoom()).as("three slots left beside the one it holds").isEqualTo(3);
  }

  @Test
  void underRealtimeTrafficThatReservesEverySlotBackgroundWorkStillGetsOneSlotPerBound() {
    queue.setBackgroundMaxWait(Duration.ofSeconds(2));
    fillEverySlot();
    Entry<String> waiting =
        new Entry<>("waiting", "r1", ticker.nanos() + Duration.ofSeconds(60).toNanos());
    queue.offer(waiting);
    Entry<String> floor = background("floor");
    assertThat(queue.backgroundRoom()).isEqualTo(1);
    assertThat(queue.offer(floor)).isEqualTo(Admission.QUEUED);
    assertThat(queue.backgroundRoom()).isZero();

    ticker.advance(Duration.ofSeconds(2));
    queue.release("a", false);
    assertThat(queue.drain().dispatched())
        .as("past the bound it goes ahead of the waiting realtime request")
        .containsExactly(floor);
    queue.release("a", true);
    assertThat(queue.drain().dispatched()).containsExactly(waiting);
    assertThat(queue.backgroundRoom()).as("the last one was let in a bound ago").isEqualTo(1);
    assertThat(queue.offer(background("next"))).isEqualTo(Admission.QUEUED);
    assertThat(queue.backgroundRoom()).isZero();
  }
}
