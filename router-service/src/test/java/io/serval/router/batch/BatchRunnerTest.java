package io.serval.router.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.proto.inference.ModelInferResponse;
import io.serval.router.async.AsyncTarget;
import io.serval.store.BatchJob;
import io.serval.store.BatchStatus;
import io.serval.store.ChunkPlan;
import io.serval.store.ClaimedChunk;
import io.serval.store.ItemOutcome;
import io.serval.store.JobClaim;
import io.serval.store.JobLogLine;
import io.serval.store.NewBatchJob;
import io.serval.store.jdbc.JdbcBatchStore;
import io.serval.store.jdbc.SqliteStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on a real SQLite store and job directory, with a fake API that answers at once: a
 * chunk's results lines go to its part, the results file is the committed chunks' parts in order, a
 * part left half-written by a holder that died is never read (its chunk runs again under a new
 * claim and part), and a job is run and finished without waiting for a poll.
 */
class BatchRunnerTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String GOOD =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.0]}]}";
  private static final String POISON =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1.0]}]}";

  @TempDir Path dir;

  private final MovableClock clock = new MovableClock();
  private final FakeApi api = new FakeApi();
  private JdbcBatchStore store;
  private LocalJobFiles files;
  private BatchRunner runner;

  @BeforeEach
  void open() {
    store =
        JdbcBatchStore.open(SqliteStores.file(dir.resolve("s.db"), Duration.ofSeconds(10)), clock);
    files = new LocalJobFiles(dir.resolve("jobs"));
  }

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private void startRunner(Duration pollInterval) {
    startRunner(pollInterval, files);
  }

  private void startRunner(Duration pollInterval, JobFiles jobFiles) {
    runner =
        new BatchRunner(
            store,
            api,
            jobFiles,
            new BatchRunner.Settings(
                LEASE,
                pollInterval,
                Duration.ofMillis(10),
                Duration.ofMillis(100),
                1 << 20,
                Duration.ofDays(7),
                Duration.ofSeconds(1)),
            "router-a",
            a -> {},
            id -> {},
            clock);
    runner.start();
  }

  private String job(String id, List<String> lines, int batchSize) throws IOException {
    URI input = files.uri(id, "input.jsonl");
    Files.writeString(files.path(input), String.join("\n", lines) + "\n");
    store.create(
        new NewBatchJob(
            id,
            "api",
            batchSize,
            3,
            0,
            input.toString(),
            files.uri(id, "results.jsonl").toString(),
            files.uri(id, "failures.jsonl").toString()));
    return id;
  }

  private BatchJob awaitFinished(String id) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                store.find(id).orElseThrow().status() != BatchStatus.RUNNING
                    && store.find(id).orElseThrow().filesWritten());
    return store.find(id).orElseThrow();
  }

  private List<String> lines(String id, String name) throws IOException {
    return Files.readAllLines(files.path(files.uri(id, name)));
  }

  private List<Path> parts(String id) throws IOException {
    try (Stream<Path> all = Files.list(files.directory(id))) {
      return all.filter(p -> p.getFileName().toString().contains(".chunk-")).toList();
    }
  }

  @Test
  void theResultsFileIsTheCommittedChunksPartsInOrderAndThePartsAreDeletedOnceWritten()
      throws IOException {
    String id =
        job(
            "0123456789abcdef0123456789abcdef",
            List.of(GOOD, GOOD, GOOD, POISON, GOOD, GOOD, GOOD),
            2);
    startRunner(Duration.ofMillis(20));

    BatchJob done = awaitFinished(id);

    assertThat(done.status()).isEqualTo(BatchStatus.SUCCEEDED);
    assertThat(done.succeeded()).isEqualTo(6);
    assertThat(done.failed()).isEqualTo(1);
    List<String> results = lines(id, "results.jsonl");
    assertThat(results).hasSize(7);
    for (int i = 0; i < 7; i++) {
      assertThat(results.get(i)).startsWith("{\"index\":" + i + ",");
    }
    assertThat(results.get(0)).contains("\"status\":\"succeeded\"", "\"model_name\":\"api\"");
    assertThat(results.get(3)).contains("\"status\":\"failed\"", "INVALID_ARGUMENT");
    assertThat(lines(id, "failures.jsonl"))
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("{\"index\":3,").contains("\"attempts\":0"));
    assertThat(store.doneChunks(id)).hasSize(4);
    assertThat(parts(id)).as("parts deleted once the results file holds them").isEmpty();
    assertThat(api.calls.get()).as("each valid item sent once").isEqualTo(6);
  }

  @Test
  void aPartLeftHalfWrittenByADeadHolderIsNeverReadItsChunkRunsAgainUnderANewPart()
      throws IOException {
    String id = job("fedcba9876543210fedcba9876543210", List.of(GOOD, GOOD, GOOD), 2);
    int line = GOOD.length() + 1;
    JobClaim planning = store.claimJobWork("router-dead", LEASE, 1).getFirst();
    assertThat(
            store.plan(
                planning, 3, List.of(new ChunkPlan(0, 0, 2, 0), new ChunkPlan(1, 2, 1, 2L * line))))
        .isTrue();
    // The dead router had claimed chunk 0 and was writing its part when it was killed.
    ClaimedChunk dead = store.claimChunk(id, "router-dead", LEASE).orElseThrow();
    Path deadPart = files.path(ChunkParts.of(files.uri(id, "results.jsonl").toString(), dead));
    Files.writeString(deadPart, "{\"index\":0,\"status\":\"succeeded\",\"respo");
    clock.advance(LEASE.plusSeconds(1));

    startRunner(Duration.ofMillis(20));
    BatchJob done = awaitFinished(id);

    assertThat(done.status()).isEqualTo(BatchStatus.SUCCEEDED);
    assertThat(done.succeeded()).isEqualTo(3);
    List<String> results = lines(id, "results.jsonl");
    assertThat(results).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(results.get(i))
          .startsWith("{\"index\":" + i + ",\"status\":\"succeeded\"")
          .endsWith("}");
    }
    assertThat(store.doneChunks(id).getFirst().attempt()).as("chunk 0 ran again").isEqualTo(2);
    assertThat(api.calls.get()).as("chunk 0's items again, chunk 1's once").isEqualTo(3);
    assertThat(deadPart).as("the dead holder's part is discarded").doesNotExist();
    assertThat(parts(id)).isEmpty();
    assertThat(store.logs(id).stream().map(JobLogLine::message))
        .anyMatch(m -> m.startsWith("resumed at item 0"));
  }

  @Test
  void aChunkAnotherRouterCommittedIsReadFromItsPartBetweenThisRoutersOwn() throws IOException {
    String id =
        job("0123456789abcdef0123456789abcd01", List.of(GOOD, GOOD, GOOD, GOOD, GOOD, GOOD), 2);
    int line = GOOD.length() + 1;
    JobClaim planning = store.claimJobWork("router-b", LEASE, 1).getFirst();
    store.plan(
        planning,
        6,
        List.of(
            new ChunkPlan(0, 0, 2, 0),
            new ChunkPlan(1, 2, 2, 2L * line),
            new ChunkPlan(2, 4, 2, 4L * line)));
    // Router B runs chunk 1: writes its part, then commits it.
    ClaimedChunk c0 = store.claimChunk(id, "router-b", LEASE).orElseThrow();
    ClaimedChunk c1 = store.claimChunk(id, "router-b", LEASE).orElseThrow();
    store.releaseChunk(c0);
    List<ItemOutcome> fromB =
        List.of(
            ItemOutcome.success(2, "{\"by\":\"b\"}".getBytes(StandardCharsets.UTF_8), 1),
            ItemOutcome.success(3, "{\"by\":\"b\"}".getBytes(StandardCharsets.UTF_8), 1));
    try (OutputStream part =
        files.create(ChunkParts.of(files.uri(id, "results.jsonl").toString(), c1))) {
      ResultWriter lines = ResultWriter.part(part);
      for (ItemOutcome o : fromB) {
        lines.write(o);
      }
    }
    assertThat(store.completeChunk(c1, fromB)).isTrue();

    startRunner(Duration.ofMillis(20));
    BatchJob done = awaitFinished(id);

    assertThat(done.status()).isEqualTo(BatchStatus.SUCCEEDED);
    List<String> results = lines(id, "results.jsonl");
    assertThat(results).hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(results.get(i)).startsWith("{\"index\":" + i + ",\"status\":\"succeeded\"");
    }
    assertThat(results.get(2)).contains("{\"by\":\"b\"}");
    assertThat(results.get(3)).contains("{\"by\":\"b\"}");
    assertThat(results.get(4)).contains("\"model_name\":\"api\"");
    assertThat(api.calls.get()).as("chunks 0 and 2 only").isEqualTo(4);
    try (Stream<Path> left = Files.list(files.directory(id))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no part and no assembly left")
          .containsExactlyInAnyOrder("input.jsonl", "results.jsonl", "failures.jsonl");
    }
  }

  @Test
  void aJobIsRunAndItsFilesWrittenWithoutWaitingForAPoll() throws IOException {
    String first = job("00112233445566778899aabbccddeeff", List.of(GOOD, GOOD, GOOD), 2);
    startRunner(Duration.ofHours(1)); // the first poll runs now, the next in an hour

    // Taken at the first poll; its files are written once its last chunk is committed.
    assertThat(awaitFinished(first).status()).isEqualTo(BatchStatus.SUCCEEDED);
    String second = job("ffeeddccbbaa99887766554433221100", List.of(GOOD, GOOD), 2);
    runner.wake(); // what a submit does

    BatchJob done = awaitFinished(second);
    assertThat(done.status()).isEqualTo(BatchStatus.SUCCEEDED);
    assertThat(lines(second, "results.jsonl")).hasSize(2);
  }

  @Test
  void aJobWhosePartsCannotBeWrittenFailsWithTheReasonInsteadOfRunningAgain() throws IOException {
    String id = job("0123456789abcdef0123456789abcde0", List.of(GOOD, GOOD, GOOD, GOOD), 2);
    JobFiles denied =
        new JobFiles() {
          @Override
          public boolean handles(URI uri) {
            return files.handles(uri);
          }

          @Override
          public InputStream open(URI uri) throws IOException {
            return files.open(uri);
          }

          @Override
          public OutputStream create(URI uri) throws IOException {
            if (uri.toString().contains(".chunk-")) {
              throw new IOException("access denied to " + uri);
            }
            return files.create(uri);
          }

          @Override
          public void delete(URI uri) throws IOException {
            files.delete(uri);
          }
        };
    startRunner(Duration.ofMillis(20), denied);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.find(id).orElseThrow().status() == BatchStatus.FAILED);
    BatchJob failed = store.find(id).orElseThrow();
    assertThat(failed.error())
        .hasValueSatisfying(
            e -> assertThat(e).startsWith("cannot write the results: access denied"));
    assertThat(api.calls.get()).as("no chunk ran again").isLessThanOrEqualTo(4);
    assertThat(store.logs(id).stream().map(JobLogLine::message))
        .anyMatch(m -> m.startsWith("failed: cannot write the results"));
  }

  /** An API that answers every request at once with an empty response. */
  private static final class FakeApi implements AsyncTarget {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Collection<String> apis() {
      return Set.of("api");
    }

    @Override
    public int freeSlots(String api) {
      return 8;
    }

    @Override
    public Duration resultTtl(String api) {
      return Duration.ofHours(1);
    }

    @Override
    public boolean hasUsableReplica(String api) {
      return true;
    }

    @Override
    public void submit(String id, String api, byte[] request, Done done) {
      calls.incrementAndGet();
      done.succeeded(ModelInferResponse.newBuilder().setModelName("api").build().toByteArray());
    }
  }

  /** A clock the test moves (the store's leases compare against it). */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-05T09:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
