package io.serval.router.batch;

import io.grpc.Status;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.router.async.AsyncTarget;
import io.serval.router.async.RetryDecision;
import io.serval.store.BatchJob;
import io.serval.store.BatchStatus;
import io.serval.store.BatchStore;
import io.serval.store.ClaimedChunk;
import io.serval.store.ItemOutcome;
import io.serval.store.JobClaim;
import io.serval.v2.V2Exception;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs batch jobs from the store through this router's APIs, like the async pump and on one thread
 * of its own (JDBC and file reads block; its state needs no lock). Every poll it: renews the leases
 * it holds; takes job-level work (reads a pending job's input through once and cuts it into chunks;
 * writes the files of a job whose items all have outcomes, or that was cancelled); and for each
 * running job of an API this router routes, sends items into the API's queue behind realtime
 * traffic, at most the job's {@code parallelism} in flight and never more than the replicas' free
 * slots, claiming the job's chunks one after another as it goes. A chunk's outcomes are committed
 * together with its completion (fenced by the claim), so after a crash only unfinished chunks run
 * again. Transient failures are retried with a backoff ({@link RetryDecision}, as async requests
 * are); client errors and lines that are not requests fail the item at once. An API with work and
 * no replica is woken. Closing hands every claim back.
 */
public final class BatchRunner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BatchRunner.class);

  /** Most lines one job's log keeps. */
  static final int LOG_LINES = 1000;

  /** Most item failures one chunk writes to the job's log (all are in the failures file). */
  static final int FAILURES_LOGGED_PER_CHUNK = 3;

  /**
   * The runner's settings.
   *
   * @param lease how long a claim holds without renewal
   * @param pollInterval how often to look for work
   * @param retryBackoff wait before an item's first retry
   * @param maxRetryBackoff longest wait between retries
   * @param maxLineBytes longest input line
   * @param retention how long finished jobs are kept
   * @param wakeInterval how often APIs with work and no replica are woken
   */
  public record Settings(
      Duration lease,
      Duration pollInterval,
      Duration retryBackoff,
      Duration maxRetryBackoff,
      int maxLineBytes,
      Duration retention,
      Duration wakeInterval) {}

  /** An item sent, or waiting to be sent again. */
  private static final class Item {
    final JobRun run;
    final ChunkWork chunk;
    final long index;
    final ModelInferRequest request;
    final byte[] wire;
    int tries;

    Item(JobRun run, ChunkWork chunk, long index, ModelInferRequest request) {
      this.run = run;
      this.chunk = chunk;
      this.index = index;
      this.request = request;
      this.wire = request.toByteArray();
    }
  }

  /** A running job as this router works on it. */
  private static final class JobRun {
    final BatchJob job;
    final List<ChunkWork> chunks = new ArrayList<>();
    final Map<ChunkWork, LineReader> readers = new HashMap<>();
    final ArrayDeque<Item> ready = new ArrayDeque<>();
    int inFlight;
    boolean exhausted;

    JobRun(BatchJob job) {
      this.job = job;
    }

    int maxHeld() {
      // Enough chunks to keep `parallelism` items going, and one more being read ahead.
      int size = job.job().batchSize();
      return Math.max(2, (job.job().parallelism() + size - 1) / size + 1);
    }
  }

  private final BatchStore store;
  private final AsyncTarget target;
  private final JobFiles files;
  private final Settings settings;
  private final String owner;
  private final Consumer<String> wakeUp;
  private final Consumer<String> deleteFiles;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final Map<String, JobRun> runs = new HashMap<>();
  private volatile boolean closed;
  private long lastRenew;
  private long lastPurge;
  private long lastWake;

  /**
   * @param owner names this runner's claims in the store (unique per router process)
   * @param wakeUp asks for replicas of an API that has none
   * @param deleteFiles deletes a purged job's local files
   */
  public BatchRunner(
      BatchStore store,
      AsyncTarget target,
      JobFiles files,
      Settings settings,
      String owner,
      Consumer<String> wakeUp,
      Consumer<String> deleteFiles,
      Clock clock) {
    this.store = store;
    this.target = target;
    this.files = files;
    this.settings = settings;
    this.owner = owner;
    this.wakeUp = wakeUp;
    this.deleteFiles = deleteFiles;
    this.clock = clock;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "serval-batch-runner");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts polling. */
  public void start() {
    long now = System.nanoTime();
    lastRenew = now;
    lastPurge = now - Duration.ofMinutes(1).toNanos();
    lastWake = now - settings.wakeInterval().toNanos();
    long poll = settings.pollInterval().toNanos();
    thread.scheduleWithFixedDelay(this::tickSafely, 0, poll, TimeUnit.NANOSECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // The store may be briefly unreachable; the next poll tries again.
      LOG.warnf(e, "batch runner: a poll failed");
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastRenew >= settings.lease().toNanos() / 3) {
      lastRenew = now;
      store.renew(owner, settings.lease());
    }
    if (now - lastPurge >= Duration.ofMinutes(1).toNanos()) {
      lastPurge = now;
      purge();
    }
    for (JobClaim claim : store.claimJobWork(owner, settings.lease(), 4)) {
      jobWork(claim);
    }
    List<BatchJob> running = store.running();
    Set<String> ids = new HashSet<>();
    Set<String> apis = new HashSet<>(target.apis());
    for (BatchJob job : running) {
      ids.add(job.id());
      if (apis.contains(job.api())) {
        JobRun run = runs.computeIfAbsent(job.id(), id -> new JobRun(job));
        // Another holder's lease may have run out since: look for chunks again.
        run.exhausted = false;
        fill(run);
      }
    }
    // Cancelled (or failed) elsewhere: drop what is held; its chunks can no longer complete.
    for (Iterator<JobRun> it = runs.values().iterator(); it.hasNext(); ) {
      JobRun run = it.next();
      if (!ids.contains(run.job.id())) {
        closeReaders(run);
        it.remove();
      }
    }
    if (now - lastWake >= settings.wakeInterval().toNanos()) {
      lastWake = now;
      for (BatchJob job : running) {
        if (apis.contains(job.api()) && !target.hasUsableReplica(job.api())) {
          wakeUp.accept(job.api());
        }
      }
    }
  }

  private void purge() {
    for (String id : store.purgeFinished(clock.instant().minus(settings.retention()))) {
      deleteFiles.accept(id);
      LOG.debugf("batch runner: deleted job %s (older than its retention)", id);
    }
  }

  // ---- job-level work: planning and writing the files ----

  private void jobWork(JobClaim claim) {
    Optional<BatchJob> found = store.find(claim.jobId());
    if (found.isEmpty()) {
      return;
    }
    BatchJob job = found.get();
    if (job.status() == BatchStatus.PENDING) {
      plan(claim, job);
    } else {
      writeFiles(claim, job);
    }
  }

  private void plan(JobClaim claim, BatchJob job) {
    ChunkPlanner planner = new ChunkPlanner(job.job().batchSize());
    try (LineReader reader =
        new LineReader(files.open(URI.create(job.job().input())), 0, settings.maxLineBytes())) {
      LineReader.Line line;
      while ((line = reader.next()) != null) {
        planner.item(line.offset());
      }
    } catch (IOException | RuntimeException e) {
      String error = "cannot read the input: " + e.getMessage();
      if (store.failJob(claim, error)) {
        log(job.id(), "failed: " + error);
      }
      return;
    }
    var chunks = planner.chunks();
    if (store.plan(claim, planner.total(), chunks)) {
      log(
          job.id(),
          "started: input read, "
              + planner.total()
              + " items in "
              + chunks.size()
              + " chunks of up to "
              + job.job().batchSize());
    }
  }

  private void writeFiles(JobClaim claim, BatchJob job) {
    long written;
    try {
      written = write(job);
    } catch (IOException | RuntimeException e) {
      String error = "cannot write the results: " + e.getMessage();
      LOG.warnf(e, "batch job %s: %s", job.id(), error);
      if (store.failJob(claim, error)) {
        log(job.id(), "failed: " + error);
      }
      return;
    }
    if (store.finish(claim)) {
      BatchJob now = store.find(job.id()).orElse(job);
      log(
          job.id(),
          (job.status() == BatchStatus.CANCELLED ? "cancelled: results of " : "finished: ")
              + written
              + " items written, "
              + now.succeeded()
              + " succeeded, "
              + now.failed()
              + " failed");
    }
  }

  /**
   * Writes both files from the committed outcomes; on a failure neither is published (an object
   * appears whole or not at all; a local file is moved into place only when complete).
   */
  private long write(BatchJob job) throws IOException {
    OutputStream results = files.create(URI.create(job.job().output()));
    OutputStream failures;
    try {
      failures = files.create(URI.create(job.job().failures()));
    } catch (IOException | RuntimeException e) {
      files.abort(results);
      results.close();
      throw e;
    }
    try (results;
        failures) {
      ResultWriter writer = new ResultWriter(results, failures);
      try {
        store.forEachOutcome(
            job.id(),
            o -> {
              try {
                writer.write(o);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      } catch (RuntimeException e) {
        files.abort(results);
        files.abort(failures);
        throw e;
      }
      return writer.written();
    }
  }

  // ---- items ----

  /** Sends the job's next items while it has room: parallelism left and free slots. */
  private void fill(JobRun run) {
    if (closed || !runs.containsKey(run.job.id())) {
      return;
    }
    String api = run.job.api();
    int room = Math.min(target.freeSlots(api), run.job.job().parallelism() - run.inFlight);
    while (room > 0) {
      Item item = run.ready.poll();
      if (item == null) {
        item = nextItem(run);
      }
      if (item == null) {
        return;
      }
      if (item.tries == 0) {
        run.inFlight++;
      }
      item.tries++;
      send(item);
      room--;
    }
  }

  /** Reads the next valid item of the job's held chunks, claiming a chunk when they are read. */
  private Item nextItem(JobRun run) {
    while (true) {
      ChunkWork chunk = null;
      for (ChunkWork c : run.chunks) {
        if (c.unread()) {
          chunk = c;
          break;
        }
      }
      if (chunk == null) {
        if (run.exhausted || run.chunks.size() >= run.maxHeld()) {
          return null;
        }
        chunk = claimChunk(run);
        if (chunk == null) {
          return null;
        }
      }
      LineReader reader = run.readers.get(chunk);
      long index = chunk.nextIndex();
      LineReader.Line line;
      try {
        line = reader.next();
      } catch (IOException e) {
        line = null;
      }
      if (!chunk.unread()) {
        closeReader(run, chunk);
      }
      if (line == null) {
        // The input changed or cannot be read: this item cannot be run.
        finishItem(run, chunk, ItemOutcome.failure(index, "the input ended before this item", 0));
        continue;
      }
      ItemCodec.Decoded d = ItemCodec.decode(run.job.api(), line, settings.maxLineBytes());
      if (d.error() != null) {
        finishItem(run, chunk, ItemOutcome.failure(index, d.error(), 0));
        continue;
      }
      return new Item(run, chunk, index, d.request());
    }
  }

  private ChunkWork claimChunk(JobRun run) {
    Optional<ClaimedChunk> claimed = store.claimChunk(run.job.id(), owner, settings.lease());
    if (claimed.isEmpty()) {
      run.exhausted = true;
      return null;
    }
    ClaimedChunk c = claimed.get();
    ChunkWork chunk = new ChunkWork(c);
    try {
      InputStream in = files.open(URI.create(run.job.job().input()));
      in.skipNBytes(c.plan().offset());
      run.readers.put(chunk, new LineReader(in, c.plan().offset(), settings.maxLineBytes()));
    } catch (IOException | RuntimeException e) {
      LOG.warnf(e, "batch job %s: cannot read chunk %d", run.job.id(), c.plan().chunk());
      store.releaseChunk(c);
      run.exhausted = true;
      return null;
    }
    run.chunks.add(chunk);
    if (c.attempt() > 1) {
      log(
          run.job.id(),
          "resumed at item "
              + c.plan().firstItem()
              + ": chunk "
              + c.plan().chunk()
              + " taken again after its holder stopped (claim "
              + c.attempt()
              + ")");
    }
    return chunk;
  }

  private void send(Item item) {
    target.submit(
        item.run.job.id() + "-" + item.index,
        item.run.job.api(),
        item.wire,
        new AsyncTarget.Done() {
          @Override
          public void succeeded(byte[] response) {
            onRunner(() -> answered(item, response));
          }

          @Override
          public void failed(Status status) {
            onRunner(() -> tryFailed(item, status));
          }
        });
  }

  private void onRunner(Runnable r) {
    if (closed) {
      return;
    }
    try {
      thread.execute(
          () -> {
            try {
              r.run();
            } catch (RuntimeException e) {
              // Not committed: the chunk's lease runs out and it runs again.
              LOG.warnf(e, "batch runner: recording an item failed");
            }
          });
    } catch (RejectedExecutionException e) {
      // closing: the chunk is released or its lease runs out
    }
  }

  private boolean current(Item item) {
    return !closed
        && runs.get(item.run.job.id()) == item.run
        && item.run.chunks.contains(item.chunk);
  }

  private void answered(Item item, byte[] answer) {
    if (!current(item)) {
      return;
    }
    ItemOutcome outcome;
    try {
      outcome = ItemOutcome.success(item.index, ItemCodec.encode(answer, item.request), item.tries);
    } catch (V2Exception e) {
      outcome = ItemOutcome.failure(item.index, ItemCodec.describe(e.grpcStatus()), item.tries);
    }
    item.run.inFlight--;
    finishItem(item.run, item.chunk, outcome);
    fill(item.run);
  }

  private void tryFailed(Item item, Status status) {
    if (!current(item)) {
      return;
    }
    int maxTries = item.run.job.job().maxRetries() + 1;
    RetryDecision d =
        RetryDecision.after(
            status, item.tries, maxTries, settings.retryBackoff(), settings.maxRetryBackoff());
    if (d.retry()) {
      thread.schedule(
          () -> {
            if (current(item)) {
              item.run.ready.add(item);
              fill(item.run);
            }
          },
          d.delay().toNanos(),
          TimeUnit.NANOSECONDS);
      return;
    }
    item.run.inFlight--;
    finishItem(item.run, item.chunk, ItemOutcome.failure(item.index, d.reason(), item.tries));
    fill(item.run);
  }

  /** Records an outcome; commits the chunk once every item of it has one. */
  private void finishItem(JobRun run, ChunkWork chunk, ItemOutcome outcome) {
    chunk.record(outcome);
    if (!chunk.complete()) {
      return;
    }
    run.chunks.remove(chunk);
    closeReader(run, chunk);
    ClaimedChunk c = chunk.claim();
    if (!store.completeChunk(c, chunk.outcomes())) {
      LOG.debugf(
          "batch job %s: chunk %d was taken by another claim or cancelled; its outcomes dropped",
          run.job.id(), c.plan().chunk());
      return;
    }
    List<ItemOutcome> failed = chunk.failures();
    for (int i = 0; i < failed.size() && i < FAILURES_LOGGED_PER_CHUNK; i++) {
      log(run.job.id(), "item " + failed.get(i).index() + " failed: " + failed.get(i).error());
    }
    if (failed.size() > FAILURES_LOGGED_PER_CHUNK) {
      log(
          run.job.id(),
          (failed.size() - FAILURES_LOGGED_PER_CHUNK)
              + " more items of chunk "
              + c.plan().chunk()
              + " failed (see the failures file)");
    }
    if (run.chunks.isEmpty()) {
      run.exhausted = false; // look for another chunk
    }
  }

  private void closeReader(JobRun run, ChunkWork chunk) {
    LineReader reader = run.readers.remove(chunk);
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        LOG.debugf(e, "batch runner: closing an input failed");
      }
    }
  }

  private void closeReaders(JobRun run) {
    for (ChunkWork c : List.copyOf(run.readers.keySet())) {
      closeReader(run, c);
    }
  }

  private void log(String jobId, String message) {
    try {
      store.log(jobId, message, LOG_LINES);
    } catch (RuntimeException e) {
      LOG.debugf(e, "batch job %s: cannot log '%s'", jobId, message);
    }
  }

  /**
   * Stops polling and hands every chunk back, so that another router, or this one restarted, takes
   * them without waiting for their leases to run out. Outcomes of an unfinished chunk are dropped:
   * its items run again.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      thread
          .submit(
              () -> {
                for (JobRun run : runs.values()) {
                  closeReaders(run);
                  for (ChunkWork c : run.chunks) {
                    store.releaseChunk(c.claim());
                  }
                }
                runs.clear();
                return null;
              })
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warnf(e, "batch runner: releasing chunks at shutdown failed; their leases will run out");
    } finally {
      thread.shutdownNow();
    }
  }
}
