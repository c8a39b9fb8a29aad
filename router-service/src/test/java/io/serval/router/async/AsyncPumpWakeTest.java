package io.serval.router.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.router.stats.AsyncBacklog;
import io.serval.store.AsyncRecord;
import io.serval.store.AsyncState;
import io.serval.store.AsyncStore;
import io.serval.store.NewAsyncRequest;
import io.serval.store.StoreException;
import io.serval.store.jdbc.JdbcAsyncStore;
import io.serval.store.jdbc.SqliteStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored request is claimed at once, not at the pump's next poll: the intake's store ({@link
 * WakeOnSubmit}) wakes the pump. The poll interval here is an hour, so only the wake-up can get the
 * request claimed within the test.
 */
class AsyncPumpWakeTest {
  private static final Duration HOUR = Duration.ofHours(1);

  /** One API whose slots are closed until the test opens them; records what it is sent. */
  private static final class GatedTarget implements AsyncTarget {
    final AtomicInteger room = new AtomicInteger();
    final CountDownLatch polled = new CountDownLatch(1);
    final List<String> sent = new CopyOnWriteArrayList<>();

    @Override
    public Collection<String> apis() {
      return List.of("a");
    }

    @Override
    public int freeSlots(String api) {
      int r = room.get();
      polled.countDown(); // after the read: this poll claims nothing if r was 0
      return r;
    }

    @Override
    public Duration resultTtl(String api) {
      return HOUR;
    }

    @Override
    public boolean hasUsableReplica(String api) {
      return true;
    }

    @Override
    public void submit(String id, String api, byte[] request, Done done) {
      sent.add(id);
    }
  }

  private static AsyncPump.Settings hourlyPolls() {
    return new AsyncPump.Settings(
        Duration.ofSeconds(30),
        3,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        HOUR,
        8,
        HOUR,
        HOUR);
  }

  private static NewAsyncRequest request(String id) {
    return new NewAsyncRequest(id, "a", "application/x-test", "", new byte[] {1, 2, 3});
  }

  @Test
  void aSubmitThroughTheIntakesStoreIsClaimedWithoutWaitingForAPoll(@TempDir Path dir)
      throws Exception {
    AsyncStore store =
        JdbcAsyncStore.open(
            SqliteStores.file(dir.resolve("s.db"), Duration.ofSeconds(5)), Clock.systemUTC());
    GatedTarget target = new GatedTarget();
    try (AsyncPump pump =
        new AsyncPump(store, target, hourlyPolls(), "r1/1", api -> {}, new AsyncBacklog())) {
      pump.start();
      assertThat(target.polled.await(10, TimeUnit.SECONDS)).isTrue(); // the first poll is over
      target.room.set(4);
      AsyncStore intake = new WakeOnSubmit(store, pump::wake);

      intake.submit(request("id-1"));

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> target.sent.contains("id-1"));
    }
  }

  @Test
  void aSubmitStraightToTheStoreWaitsForThePoll(@TempDir Path dir) throws Exception {
    AsyncStore store =
        JdbcAsyncStore.open(
            SqliteStores.file(dir.resolve("s.db"), Duration.ofSeconds(5)), Clock.systemUTC());
    GatedTarget target = new GatedTarget();
    try (AsyncPump pump =
        new AsyncPump(store, target, hourlyPolls(), "r1/1", api -> {}, new AsyncBacklog())) {
      pump.start();
      assertThat(target.polled.await(10, TimeUnit.SECONDS)).isTrue();
      target.room.set(4);

      store.submit(request("id-2")); // e.g. another router's intake, on a shared store

      Awaitility.await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(target.sent::isEmpty);
      pump.wake(); // what this router's intake would have done
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> target.sent.contains("id-2"));
    }
  }

  /**
   * With a free slot, the intake's submit stores the request already claimed by the pump (attempt
   * 1, running) and the pump runs it: no wake-up, no poll (the poll is an hour, the wake-up a
   * no-op).
   */
  @Test
  void aRequestWithRoomIsStoredClaimedAndRunAtOnce(@TempDir Path dir) throws Exception {
    AsyncStore store =
        JdbcAsyncStore.open(
            SqliteStores.file(dir.resolve("s.db"), Duration.ofSeconds(5)), Clock.systemUTC());
    GatedTarget target = new GatedTarget();
    try (AsyncPump pump =
        new AsyncPump(store, target, hourlyPolls(), "r1/1", api -> {}, new AsyncBacklog())) {
      pump.start();
      assertThat(target.polled.await(10, TimeUnit.SECONDS)).isTrue();
      target.room.set(1);
      AsyncStore intake = new WakeOnSubmit(store, () -> {}, pump::submitAndTake);

      intake.submit(request("id-4"));

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> target.sent.contains("id-4"));
      AsyncRecord r = store.find("id-4").orElseThrow();
      assertThat(r.state()).isEqualTo(AsyncState.RUNNING);
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(store.pending()).isEmpty();
    }
  }

  /** Without room the request is stored pending, as before, and waits for a claim. */
  @Test
  void aRequestWithoutRoomIsStoredPending(@TempDir Path dir) throws Exception {
    AsyncStore store =
        JdbcAsyncStore.open(
            SqliteStores.file(dir.resolve("s.db"), Duration.ofSeconds(5)), Clock.systemUTC());
    GatedTarget target = new GatedTarget();
    try (AsyncPump pump =
        new AsyncPump(store, target, hourlyPolls(), "r1/1", api -> {}, new AsyncBacklog())) {
      pump.start();
      assertThat(target.polled.await(10, TimeUnit.SECONDS)).isTrue();
      AsyncStore intake = new WakeOnSubmit(store, () -> {}, pump::submitAndTake);

      intake.submit(request("id-5"));

      assertThat(store.find("id-5").orElseThrow().state()).isEqualTo(AsyncState.PENDING);
      assertThat(store.pending()).containsEntry("a", 1L);
      target.room.set(1);
      pump.wake();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> target.sent.contains("id-5"));
    }
  }

  @Test
  void aFailedSubmitWakesNobody() {
    AtomicInteger wakes = new AtomicInteger();
    AsyncStore failing =
        (AsyncStore)
            java.lang.reflect.Proxy.newProxyInstance(
                AsyncStore.class.getClassLoader(),
                new Class<?>[] {AsyncStore.class},
                (proxy, method, args) -> {
                  throw new StoreException("disk full", null);
                });
    AsyncStore intake = new WakeOnSubmit(failing, wakes::incrementAndGet);

    assertThatThrownBy(() -> intake.submit(request("id-3"))).isInstanceOf(StoreException.class);
    assertThat(wakes).hasValue(0);
  }

  @Test
  void aWakeAfterCloseIsIgnored(@TempDir Path dir) {
    AsyncStore store =
        JdbcAsyncStore.open(
            SqliteStores.file(dir.resolve("s.db"), Duration.ofSeconds(5)), Clock.systemUTC());
    AsyncPump pump =
        new AsyncPump(
            store, new GatedTarget(), hourlyPolls(), "r1/1", api -> {}, new AsyncBacklog());
    pump.start();
    pump.close();

    pump.wake(); // must neither throw nor claim

    assertThat(store.backlog()).isEmpty();
  }
}
