package io.serval.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.store.AsyncRecord;
import io.serval.store.AsyncState;
import io.serval.store.ClaimTerms;
import io.serval.store.ClaimedRequest;
import io.serval.store.NewAsyncRequest;
import io.serval.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link JdbcAsyncStore} database must do; run on SQLite and on PostgreSQL. */
abstract class AsyncStoreContract {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final Duration TTL = Duration.ofHours(24);
  static final ClaimTerms TERMS = new ClaimTerms(LEASE, 10, 3, TTL);

  final MutableClock clock = new MutableClock();
  JdbcAsyncStore store;

  /** A fresh, empty database for each test. */
  abstract DataSource freshDatabase() throws Exception;

  /** Another data source on the same database, as a second process would open. */
  abstract DataSource sameDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = JdbcAsyncStore.open(freshDatabase(), clock);
  }

  static NewAsyncRequest request(String id, String api) {
    return new NewAsyncRequest(
        id,
        api,
        "application/json",
        "",
        ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSubmittedRequestIsPendingAndClaimedOnceWithItsBody() {
    store.submit(request("r1", "iris"));

    assertThat(store.find("r1")).get().extracting(AsyncRecord::state).isEqualTo(AsyncState.PENDING);
    List<ClaimedRequest> claimed = store.claim("iris", "router-a", TERMS);
    assertThat(claimed)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo("r1");
              assertThat(c.attempt()).isEqualTo(1);
              assertThat(new String(c.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"r1\"}");
            });
    assertThat(store.find("r1")).get().extracting(AsyncRecord::state).isEqualTo(AsyncState.RUNNING);
    assertThat(store.claim("iris", "router-b", TERMS)).isEmpty();
  }

  @Test
  void aRequestSubmittedClaimedIsRunningHeldAndFencedLikeAClaimedOne() {
    ClaimedRequest mine = store.submitClaimed(request("r1", "iris"), "router-a", LEASE);

    assertThat(mine.id()).isEqualTo("r1");
    assertThat(mine.attempt()).isEqualTo(1);
    assertThat(new String(mine.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"r1\"}");
    AsyncRecord r = store.find("r1").orElseThrow();
    assertThat(r.state()).isEqualTo(AsyncState.RUNNING);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(store.claim("iris", "router-b", TERMS)).as("held").isEmpty();
    assertThat(store.pending()).as("no router's to take").isEmpty();
    assertThat(store.backlog()).containsEntry("iris", 1L);
    assertThat(store.renew("router-a", List.of("r1"), LEASE)).isEqualTo(1);

    // Its holder dies: once the lease runs out another takes it, and the first is fenced.
    clock.advance(LEASE.plusSeconds(1));
    ClaimedRequest again = store.claim("iris", "router-b", TERMS).getFirst();
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(store.succeed("r1", mine.attempt(), "application/json", bytes("late"), TTL))
        .isFalse();
    assertThat(store.succeed("r1", again.attempt(), "application/json", bytes("ok"), TTL)).isTrue();
    assertThat(store.find("r1").orElseThrow().state()).isEqualTo(AsyncState.SUCCEEDED);
    assertThatThrownBy(() -> store.submitClaimed(request("r1", "iris"), "router-a", LEASE))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void aRequestSubmittedClaimedIsFinishedByItsHolder() {
    ClaimedRequest mine = store.submitClaimed(request("r1", "iris"), "router-a", LEASE);
    assertThat(store.succeed("r1", mine.attempt(), "application/json", bytes("ok"), TTL)).isTrue();
    assertThat(store.find("r1").orElseThrow().response())
        .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("ok"));
    assertThat(store.release("r1", mine.attempt())).as("finished: nothing to hand back").isFalse();
  }

  @Test
  void aDuplicateIdIsRefused() {
    store.submit(request("r1", "iris"));
    assertThatThrownBy(() -> store.submit(request("r1", "iris")))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void theResultIsWrittenOnceAndTheRequestBodyDropped() {
    store.submit(request("r1", "iris"));
    ClaimedRequest c = store.claim("iris", "router-a", TERMS).get(0);

    assertThat(store.succeed("r1", c.attempt(), "application/json", bytes("{\"ok\":1}"), TTL))
        .isTrue();
    assertThat(store.succeed("r1", c.attempt(), "application/json", bytes("{\"ok\":2}"), TTL))
        .isFalse();
    assertThat(store.fail("r1", c.attempt(), "late", TTL)).isFalse();

    AsyncRecord r = store.find("r1").orElseThrow();
    assertThat(r.state()).isEqualTo(AsyncState.SUCCEEDED);
    assertThat(new String(r.response().orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("{\"ok\":1}");
    assertThat(r.responseType()).contains("application/json");
    assertThat(r.finishedAt()).contains(clock.instant());
  }

  @Test
  void aLapsedLeaseIsTakenByAnotherHolderAndTheOldHolderCannotWriteAResult() {
    store.submit(request("r1", "iris"));
    ClaimedRequest first = store.claim("iris", "router-a", TERMS).get(0);

    clock.advance(LEASE.minusMillis(1));
    assertThat(store.claim("iris", "router-b", TERMS)).as("lease still valid").isEmpty();
    clock.advance(Duration.ofMillis(2));
    ClaimedRequest second = store.claim("iris", "router-b", TERMS).get(0);

    assertThat(second.attempt()).isGreaterThan(first.attempt());
    assertThat(store.succeed("r1", first.attempt(), "application/json", bytes("old"), TTL))
        .isFalse();
    assertThat(store.succeed("r1", second.attempt(), "application/json", bytes("new"), TTL))
        .isTrue();
    assertThat(store.find("r1").orElseThrow().response())
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("new")));
  }

  @Test
  void aRenewedLeaseKeepsTheRequestFromOthers() {
    store.submit(request("r1", "iris"));
    store.claim("iris", "router-a", TERMS);
    clock.advance(LEASE.minusSeconds(1));

    assertThat(store.renew("router-a", List.of("r1"), LEASE)).isEqualTo(1);
    assertThat(store.renew("router-b", List.of("r1"), LEASE)).as("not its holder").isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.claim("iris", "router-b", TERMS)).isEmpty();
  }

  @Test
  void aRequestWhoseHoldersKeepDyingFailsAfterMaxAttempts() {
    store.submit(request("r1", "iris"));
    for (int i = 0; i < TERMS.maxAttempts(); i++) {
      assertThat(store.claim("iris", "router-" + i, TERMS)).hasSize(1);
      clock.advance(LEASE.plusSeconds(1));
    }

    assertThat(store.claim("iris", "router-x", TERMS)).isEmpty();
    AsyncRecord r = store.find("r1").orElseThrow();
    assertThat(r.state()).isEqualTo(AsyncState.FAILED);
    assertThat(r.reason())
        .hasValueSatisfying(s -> assertThat(s).contains("gave up after 3 attempts"));
    assertThat(r.attempts()).isEqualTo(3);
  }

  @Test
  void aReleasedRequestIsPendingAgainWithoutUsingAnAttemptAndTheReleaserIsFenced() {
    store.submit(request("r1", "iris"));
    ClaimedRequest c = store.claim("iris", "router-a", TERMS).get(0);

    assertThat(store.release("r1", c.attempt())).isTrue();
    assertThat(store.find("r1").orElseThrow().state()).isEqualTo(AsyncState.PENDING);
    assertThat(store.find("r1").orElseThrow().attempts()).isZero();
    ClaimedRequest again = store.claim("iris", "router-b", TERMS).get(0);
    assertThat(store.succeed("r1", c.attempt(), "application/json", bytes("x"), TTL)).isFalse();
    assertThat(store.succeed("r1", again.attempt(), "application/json", bytes("y"), TTL)).isTrue();
  }

  @Test
  void onlyAPendingRequestCanBeCancelled() {
    store.submit(request("r1", "iris"));
    store.submit(request("r2", "iris"));
    store.claim("iris", "router-a", new ClaimTerms(LEASE, 1, 3, TTL));

    assertThat(store.cancel("r1", TTL)).as("running").isFalse();
    assertThat(store.cancel("r2", TTL)).isTrue();
    assertThat(store.cancel("r2", TTL)).as("already cancelled").isFalse();
    assertThat(store.cancel("nope", TTL)).isFalse();
    assertThat(store.find("r2").orElseThrow().state()).isEqualTo(AsyncState.CANCELLED);
    assertThat(store.claim("iris", "router-a", TERMS)).isEmpty();
  }

  @Test
  void finishedAmongNamesTheFinishedUnexpiredRequestsOfThoseAsked() {
    for (String id : List.of("ok", "bad", "gone", "running")) {
      store.submit(request(id, "iris"));
    }
    List<ClaimedRequest> claimed = store.claim("iris", "router-a", TERMS);
    assertThat(claimed).hasSize(4);
    store.submit(request("pending", "iris"));
    store.submit(request("cancelled", "iris"));
    ClaimedRequest ok = claimed.stream().filter(c -> c.id().equals("ok")).findFirst().get();
    ClaimedRequest bad = claimed.stream().filter(c -> c.id().equals("bad")).findFirst().get();
    ClaimedRequest gone = claimed.stream().filter(c -> c.id().equals("gone")).findFirst().get();
    store.succeed(ok.id(), ok.attempt(), "application/json", bytes("x"), TTL);
    store.fail(bad.id(), bad.attempt(), "bad input", TTL);
    store.succeed(gone.id(), gone.attempt(), "application/json", bytes("x"), Duration.ofMinutes(1));
    store.cancel("cancelled", TTL);
    clock.advance(Duration.ofMinutes(1));

    assertThat(
            store.finishedAmong(
                List.of("ok", "bad", "gone", "running", "pending", "cancelled", "unknown")))
        .containsExactlyInAnyOrder("ok", "bad", "cancelled");
    assertThat(store.finishedAmong(List.of())).isEmpty();
    // More ids than one statement takes: read in parts, every finished one found.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      many.add("missing-" + i);
    }
    many.add(600, "ok");
    many.add("bad");
    assertThat(store.finishedAmong(many)).containsExactlyInAnyOrder("ok", "bad");
  }

  @Test
  void resultsExpireAfterTheirTtlAndArePurged() {
    store.submit(request("r1", "iris"));
    store.submit(request("r2", "iris"));
    ClaimedRequest c = store.claim("iris", "router-a", new ClaimTerms(LEASE, 1, 3, TTL)).get(0);
    store.succeed(c.id(), c.attempt(), "application/json", bytes("x"), Duration.ofMinutes(5));

    clock.advance(Duration.ofMinutes(5));
    assertThat(store.find("r1")).isEmpty();
    assertThat(store.purgeExpired()).isEqualTo(1);
    assertThat(store.find("r2")).as("a pending request never expires").isPresent();
  }

  @Test
  void eachResultKeepsTheTtlItWasWrittenWith() {
    // Two APIs with different spec.async.resultTtl: each result expires on its own schedule.
    store.submit(request("short", "iris"));
    store.submit(request("long", "minilm"));
    ClaimedRequest s = store.claim("iris", "router-a", TERMS).get(0);
    ClaimedRequest l = store.claim("minilm", "router-a", TERMS).get(0);
    store.succeed(s.id(), s.attempt(), "application/json", bytes("x"), Duration.ofMinutes(1));
    store.fail(l.id(), l.attempt(), "bad input", Duration.ofHours(2));

    clock.advance(Duration.ofMinutes(1));
    assertThat(store.find("short")).isEmpty();
    assertThat(store.find("long")).isPresent();
    assertThat(store.purgeExpired()).isEqualTo(1);
    clock.advance(Duration.ofHours(2));
    assertThat(store.find("long")).isEmpty();
    assertThat(store.purgeExpired()).isEqualTo(1);
  }

  @Test
  void pendingCountsOnlyRequestsNoOneHolds() {
    for (int i = 0; i < 5; i++) {
      store.submit(request("a" + i, "iris"));
    }
    store.submit(request("b0", "minilm"));
    store.claim("iris", "router-a", new ClaimTerms(LEASE, 2, 3, TTL));
    ClaimedRequest b = store.claim("minilm", "router-a", TERMS).get(0);
    store.succeed(b.id(), b.attempt(), "application/json", bytes("x"), TTL);

    assertThat(store.pending()).isEqualTo(Map.of("iris", 3L));
    assertThat(store.backlog()).isEqualTo(Map.of("iris", 5L));
  }

  @Test
  void claimsTakeOneApiOldestFirstUpToMax() {
    for (int i = 0; i < 5; i++) {
      store.submit(request("a" + i, "iris"));
      clock.advance(Duration.ofMillis(1));
    }
    store.submit(request("b0", "minilm"));

    List<ClaimedRequest> claimed =
        store.claim("iris", "router-a", new ClaimTerms(LEASE, 3, 3, TTL));
    assertThat(claimed).extracting(ClaimedRequest::id).containsExactly("a0", "a1", "a2");
    assertThat(store.backlog()).isEqualTo(Map.of("iris", 5L, "minilm", 1L));
  }

  @Test
  void whatIsCommittedIsSeenByAnotherProcessOpeningTheSameDatabase() throws Exception {
    store.submit(request("r1", "iris"));

    JdbcAsyncStore other = JdbcAsyncStore.open(sameDatabase(), clock);
    assertThat(other.claim("iris", "router-b", TERMS))
        .extracting(ClaimedRequest::id)
        .containsExactly("r1");
  }

  @Test
  void concurrentClaimersNeverTakeTheSameRequest() throws Exception {
    int requests = 400;
    for (int i = 0; i < requests; i++) {
      store.submit(request("r" + i, "iris"));
    }
    int claimers = 4;
    List<JdbcAsyncStore> stores = new ArrayList<>();
    for (int i = 0; i < claimers; i++) {
      stores.add(JdbcAsyncStore.open(sameDatabase(), clock));
    }
    Map<String, String> holder = new ConcurrentHashMap<>();
    List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < claimers; i++) {
        JdbcAsyncStore s = stores.get(i);
        String owner = "router-" + i;
        done.add(
            pool.submit(
                () -> {
                  List<ClaimedRequest> got;
                  while (!(got = s.claim("iris", owner, new ClaimTerms(LEASE, 7, 3, TTL)))
                      .isEmpty()) {
                    for (ClaimedRequest c : got) {
                      if (holder.putIfAbsent(c.id(), owner) != null) {
                        duplicates.add(c.id());
                      }
                      assertThat(
                              s.succeed(c.id(), c.attempt(), "application/json", bytes("ok"), TTL))
                          .isTrue();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(duplicates).isEmpty();
    assertThat(holder).hasSize(requests);
    assertThat(store.backlog()).isEmpty();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
