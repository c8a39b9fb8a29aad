package io.serval.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.store.BatchJob;
import io.serval.store.BatchStatus;
import io.serval.store.ChunkPlan;
import io.serval.store.ClaimedChunk;
import io.serval.store.ItemOutcome;
import io.serval.store.JobClaim;
import io.serval.store.JobLogLine;
import io.serval.store.NewBatchJob;
import io.serval.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link JdbcBatchStore} database must do; run on SQLite and on PostgreSQL. */
abstract class BatchStoreContract {
  static final Duration LEASE = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock();
  JdbcBatchStore store;

  abstract DataSource freshDatabase() throws Exception;

  abstract DataSource sameDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = JdbcBatchStore.open(freshDatabase(), clock);
  }

  static NewBatchJob job(String id) {
    return new NewBatchJob(
        id, "iris", 2, 4, 3, "file:///jobs/" + id + "/input.jsonl", "file:///o", "file:///f");
  }

  /** Creates a job and plans it with {@code items} items in chunks of 2. */
  JobClaim planned(String id, int items) {
    store.create(job(id));
    JobClaim claim = store.claimJobWork("router-a", LEASE, 10).get(0);
    List<ChunkPlan> chunks = new ArrayList<>();
    for (int first = 0, n = 0; first < items; first += 2, n++) {
      chunks.add(new ChunkPlan(n, first, Math.min(2, items - first), first * 10L));
    }
    assertThat(store.plan(claim, items, chunks)).isTrue();
    return claim;
  }

  static List<ItemOutcome> outcomes(ClaimedChunk c) {
    List<ItemOutcome> out = new ArrayList<>();
    for (int i = 0; i < c.plan().items(); i++) {
      long index = c.plan().firstItem() + i;
      out.add(
          index % 2 == 1
              ? ItemOutcome.failure(index, "bad " + index, 3)
              : ItemOutcome.success(index, bytes("{\"i\":" + index + "}"), 1));
    }
    return out;
  }

  @Test
  void aNewJobIsPendingWithoutATotalAndListedNewestFirst() {
    store.create(job("j1"));
    clock.advance(Duration.ofMillis(1));
    store.create(job("j2"));

    BatchJob j = store.find("j1").orElseThrow();
    assertThat(j.status()).isEqualTo(BatchStatus.PENDING);
    assertThat(j.total()).isEmpty();
    assertThat(j.job()).isEqualTo(job("j1"));
    assertThat(j.startedAt()).isEmpty();
    assertThat(store.list(10)).extracting(BatchJob::id).containsExactly("j2", "j1");
    assertThat(store.list(1)).extracting(BatchJob::id).containsExactly("j2");
    assertThat(store.unfinished()).isEqualTo(2);
    assertThat(store.find("nope")).isEmpty();
    assertThatThrownBy(() -> store.create(job("j1"))).isInstanceOf(StoreException.class);
  }

  @Test
  void planningIsClaimedOnceAndFenced() {
    store.create(job("j1"));
    JobClaim first = store.claimJobWork("router-a", LEASE, 10).get(0);
    assertThat(store.claimJobWork("router-b", LEASE, 10)).as("lease held").isEmpty();

    clock.advance(LEASE.plusMillis(1));
    JobClaim second = store.claimJobWork("router-b", LEASE, 10).get(0);
    assertThat(second.claim()).isGreaterThan(first.claim());
    assertThat(store.plan(first, 1, List.of(new ChunkPlan(0, 0, 1, 0)))).as("fenced").isFalse();
    assertThat(store.plan(second, 1, List.of(new ChunkPlan(0, 0, 1, 0)))).isTrue();
    assertThat(store.plan(second, 1, List.of(new ChunkPlan(0, 0, 1, 0))))
        .as("planned already")
        .isFalse();

    BatchJob j = store.find("j1").orElseThrow();
    assertThat(j.status()).isEqualTo(BatchStatus.RUNNING);
    assertThat(j.total()).hasValue(1);
    assertThat(j.startedAt()).isPresent();
    assertThat(store.running()).extracting(BatchJob::id).containsExactly("j1");
  }

  @Test
  void chunksAreClaimedInOrderOnceAndTheirCountsAndFailuresCommittedTogether() {
    planned("j1", 5);

    ClaimedChunk c0 = store.claimChunk("j1", "router-a", LEASE).orElseThrow();
    ClaimedChunk c1 = store.claimChunk("j1", "router-b", LEASE).orElseThrow();
    assertThat(c0.plan()).isEqualTo(new ChunkPlan(0, 0, 2, 0));
    assertThat(c1.plan()).isEqualTo(new ChunkPlan(1, 2, 2, 20));
    assertThat(c0.attempt()).isEqualTo(1);

    assertThat(store.completeChunk(c1, outcomes(c1))).isTrue();
    assertThat(store.completeChunk(c1, outcomes(c1))).as("done already").isFalse();
    BatchJob j = store.find("j1").orElseThrow();
    assertThat(j.done()).isEqualTo(2);
    assertThat(j.succeeded()).isEqualTo(1);
    assertThat(j.failed()).isEqualTo(1);
    assertThat(store.claimJobWork("router-a", LEASE, 10)).as("items left").isEmpty();

    ClaimedChunk c2 = store.claimChunk("j1", "router-a", LEASE).orElseThrow();
    assertThat(c2.plan().items()).isEqualTo(1);
    assertThat(store.claimChunk("j1", "router-a", LEASE)).as("all held").isEmpty();
    assertThat(store.completeChunk(c0, outcomes(c0))).isTrue();
    assertThat(store.completeChunk(c2, outcomes(c2))).isTrue();

    List<ItemOutcome> read = new ArrayList<>();
    store.forEachFailure("j1", read::add);
    assertThat(read).as("failed items only").extracting(ItemOutcome::index).containsExactly(1L, 3L);
    assertThat(read.get(0).error()).isEqualTo("bad 1");
    assertThat(read.get(0).attempts()).isEqualTo(3);
    assertThat(read.get(0).succeeded()).isFalse();
    assertThat(store.find("j1").orElseThrow().done()).isEqualTo(5);
    assertThat(store.find("j1").orElseThrow().succeeded()).isEqualTo(3);
    assertThat(store.doneChunks("j1"))
        .as("done chunks in order, with the claim that completed each")
        .containsExactly(c0, c1, c2);
  }

  @Test
  void aDeadHoldersChunkIsClaimedAgainAndItsLateCompletionWritesNothing() {
    planned("j1", 2);
    ClaimedChunk first = store.claimChunk("j1", "router-a", LEASE).orElseThrow();

    clock.advance(LEASE.minusMillis(1));
    assertThat(store.claimChunk("j1", "router-b", LEASE)).as("lease valid").isEmpty();
    clock.advance(Duration.ofMillis(2));
    ClaimedChunk second = store.claimChunk("j1", "router-b", LEASE).orElseThrow();
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.plan()).isEqualTo(first.plan());

    assertThat(store.completeChunk(first, outcomes(first))).as("fenced").isFalse();
    assertThat(store.completeChunk(second, outcomes(second))).isTrue();
    assertThat(store.find("j1").orElseThrow().done()).isEqualTo(2);
    List<ItemOutcome> read = new ArrayList<>();
    store.forEachFailure("j1", read::add);
    assertThat(read).as("the failure counted once").hasSize(1);
    assertThat(store.doneChunks("j1"))
        .as("the part that counts is the second claim's")
        .containsExactly(second);
  }

  @Test
  void renewedLeasesKeepChunksAndJobWorkFromOthers() {
    planned("j1", 2);
    store.create(job("j2"));
    store.claimChunk("j1", "router-a", LEASE).orElseThrow();
    store.claimJobWork("router-a", LEASE, 10);
    clock.advance(LEASE.minusSeconds(1));

    assertThat(store.renew("router-a", LEASE)).isEqualTo(2);
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.claimChunk("j1", "router-b", LEASE)).isEmpty();
    assertThat(store.claimJobWork("router-b", LEASE, 10)).isEmpty();
  }

  @Test
  void aReleasedChunkIsTakenAgainAtOnce() {
    planned("j1", 2);
    ClaimedChunk c = store.claimChunk("j1", "router-a", LEASE).orElseThrow();
    assertThat(store.releaseChunk(c)).isTrue();
    ClaimedChunk again = store.claimChunk("j1", "router-b", LEASE).orElseThrow();
    assertThat(store.releaseChunk(c)).as("fenced").isFalse();
    assertThat(store.completeChunk(again, outcomes(again))).isTrue();
  }

  @Test
  void aJobWhoseItemsAllHaveOutcomesIsClaimedForItsFilesThenSucceeds() {
    planned("j1", 2);
    ClaimedChunk c = store.claimChunk("j1", "router-a", LEASE).orElseThrow();
    store.completeChunk(c, outcomes(c));

    JobClaim files = store.claimJobWork("router-a", LEASE, 10).get(0);
    assertThat(files.jobId()).isEqualTo("j1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.finish(files)).isTrue();
    assertThat(store.finish(files)).as("once").isFalse();

    BatchJob j = store.find("j1").orElseThrow();
    assertThat(j.status()).isEqualTo(BatchStatus.SUCCEEDED);
    assertThat(j.filesWritten()).isTrue();
    assertThat(j.finishedAt()).contains(clock.instant());
    List<ItemOutcome> left = new ArrayList<>();
    store.forEachFailure("j1", left::add);
    assertThat(left).as("failures dropped once written").isEmpty();
    assertThat(store.claimJobWork("router-a", LEASE, 10)).isEmpty();
    assertThat(store.unfinished()).isZero();
  }

  @Test
  void aRunningJobThatCannotWriteItsResultsFailsAndTakesNoMoreChunks() {
    planned("j1", 4);
    ClaimedChunk c0 = store.claimChunk("j1", "router-a", LEASE).orElseThrow();

    assertThat(store.failRunning("j1", "cannot write the results: denied")).isTrue();
    assertThat(store.failRunning("j1", "again")).as("no longer running").isFalse();

    BatchJob j = store.find("j1").orElseThrow();
    assertThat(j.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(j.error()).hasValue("cannot write the results: denied");
    assertThat(store.completeChunk(c0, outcomes(c0))).isFalse();
    assertThat(store.claimChunk("j1", "router-b", LEASE)).isEmpty();
    assertThat(store.claimJobWork("router-b", LEASE, 10)).isEmpty();
    assertThat(store.unfinished()).isZero();
  }

  @Test
  void aCancelledJobTakesNoChunkAndCommitsNoneButItsFilesAreStillWritten() {
    planned("j1", 4);
    ClaimedChunk c0 = store.claimChunk("j1", "router-a", LEASE).orElseThrow();
    ClaimedChunk c1 = store.claimChunk("j1", "router-a", LEASE).orElseThrow();
    assertThat(store.completeChunk(c0, outcomes(c0))).isTrue();

    assertThat(store.cancel("j1")).isTrue();
    assertThat(store.cancel("j1")).as("finished").isFalse();
    assertThat(store.cancel("nope")).isFalse();
    assertThat(store.completeChunk(c1, outcomes(c1))).isFalse();
    clock.advance(LEASE.plusSeconds(1));
    assertThat(store.claimChunk("j1", "router-b", LEASE)).isEmpty();
    assertThat(store.running()).isEmpty();

    JobClaim files = store.claimJobWork("router-b", LEASE, 10).get(0);
    List<ItemOutcome> written = new ArrayList<>();
    store.forEachFailure("j1", written::add);
    assertThat(written).extracting(ItemOutcome::index).containsExactly(1L);
    assertThat(store.doneChunks("j1")).as("only the chunk committed before").containsExactly(c0);
    assertThat(store.finish(files)).isTrue();
    BatchJob j = store.find("j1").orElseThrow();
    assertThat(j.status()).isEqualTo(BatchStatus.CANCELLED);
    assertThat(j.filesWritten()).isTrue();
    assertThat(j.done()).isEqualTo(2);
  }

  @Test
  void aJobThatCannotRunFailsWithItsReason() {
    store.create(job("j1"));
    JobClaim claim = store.claimJobWork("router-a", LEASE, 10).get(0);
    assertThat(store.failJob(new JobClaim("j1", claim.claim() + 1), "x")).isFalse();
    assertThat(store.failJob(claim, "cannot read the input: gone")).isTrue();
    BatchJob j = store.find("j1").orElseThrow();
    assertThat(j.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(j.error()).contains("cannot read the input: gone");
    assertThat(store.claimJobWork("router-a", LEASE, 10)).isEmpty();
  }

  @Test
  void releasedJobWorkIsTakenAgainAtOnce() {
    store.create(job("j1"));
    JobClaim claim = store.claimJobWork("router-a", LEASE, 10).get(0);
    assertThat(store.releaseJob(claim)).isTrue();
    assertThat(store.claimJobWork("router-b", LEASE, 10)).hasSize(1);
  }

  @Test
  void theLogIsKeptInOrderAndBounded() {
    store.create(job("j1"));
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofMillis(1));
      store.log("j1", "event " + i, 4);
    }
    assertThat(store.logs("j1"))
        .extracting(JobLogLine::message)
        .containsExactly("event 0", "event 1", "event 2", "log truncated: no more lines are kept");
    assertThat(store.logs("j1").get(0).at()).isBefore(store.logs("j1").get(1).at());
    assertThat(store.logs("nope")).isEmpty();
  }

  @Test
  void finishedJobsArePurgedWithEverythingOfTheirsAfterTheirRetention() {
    JobClaim claim = planned("j1", 2);
    store.log("j1", "accepted", 10);
    ClaimedChunk c = store.claimChunk("j1", "router-a", LEASE).orElseThrow();
    store.completeChunk(c, outcomes(c));
    store.finish(store.claimJobWork("router-a", LEASE, 10).get(0));
    store.create(job("j2"));
    assertThat(claim).isNotNull();

    assertThat(store.purgeFinished(clock.instant())).as("not older than that").isEmpty();
    clock.advance(Duration.ofHours(1));
    assertThat(store.purgeFinished(clock.instant())).containsExactly("j1");
    assertThat(store.find("j1")).isEmpty();
    assertThat(store.logs("j1")).isEmpty();
    assertThat(store.find("j2")).as("unfinished jobs stay").isPresent();
  }

  @Test
  void concurrentRoutersNeverHoldTheSameChunkAndEveryItemIsCommittedOnce() throws Exception {
    int items = 200;
    planned("j1", items);
    int routers = 4;
    List<JdbcBatchStore> stores = new ArrayList<>();
    for (int i = 0; i < routers; i++) {
      stores.add(JdbcBatchStore.open(sameDatabase(), clock));
    }
    Set<Integer> taken = ConcurrentHashMap.newKeySet();
    List<Integer> duplicates = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(routers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < routers; i++) {
        JdbcBatchStore s = stores.get(i);
        String owner = "router-" + i;
        done.add(
            pool.submit(
                () -> {
                  Optional<ClaimedChunk> c;
                  while ((c = s.claimChunk("j1", owner, LEASE)).isPresent()) {
                    if (!taken.add(c.get().plan().chunk())) {
                      duplicates.add(c.get().plan().chunk());
                    }
                    assertThat(s.completeChunk(c.get(), outcomes(c.get()))).isTrue();
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
    assertThat(taken).hasSize(items / 2);
    BatchJob j = store.find("j1").orElseThrow();
    assertThat(j.done()).isEqualTo(items);
    assertThat(j.succeeded()).isEqualTo(items / 2);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
