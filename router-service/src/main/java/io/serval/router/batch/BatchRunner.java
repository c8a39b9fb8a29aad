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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs batch jobs from the store through this router's APIs, like the async pump and on one thread
 * of its own (JDBC and file reads block; its state needs no lock). Every poll it: renews the leases
 * it holds; takes job-level work (reads a pending job's input through once and cuts it into chunks;
 * writes the files of a job whose items all have outcomes, or that was cancelled); and for each
 * running job of an API this router routes, sends items into the API's queue behind realtime
 * traffic, at most the job's {@code parallelism} in flight and never more than the replicas' free
 * slots, claiming the job's chunks one after another as it goes; an item's slot is filled again as
 * soon as its answer arrives. Answers are encoded to JSON on threads of their own ({@code
 * serval-batch-codec}), off the runner's thread. A complete chunk's results lines are written to
 * its part next to the job's output and made durable on another thread ({@code
 * serval-batch-writer}), then the chunk is committed with its counts and failed items (fenced by
 * the claim), so after a crash only unfinished chunks run again and a part is read only once its
 * chunk is committed; the results file is the committed parts in order. Transient failures are
 * retried with a backoff ({@link RetryDecision}, as async requests are); client errors and lines
 * that are not requests fail the item at once. An API with work and no replica is woken. Closing
 * hands every claim back.
 */
public final class BatchRunner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BatchRunner.class);

  /** Most lines one job's log keeps. */
  static final int LOG_LINES = 1000;

  /** Most item failures one chunk writes to the job's log (all are in the failures file). */
  static final int FAILURES_LOGGED_PER_CHUNK = 3;

  /** Threads that encode answers to JSON (as the realtime path's codec threads do). */
  static final int CODEC_THREADS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

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

  /**
   * A job's results file being assembled on the writer thread while the job runs: the parts of the
   * chunks this router committed, appended in chunk order as far as they follow each other. When
   * the job's files are written, what it holds is kept if it is the start of the committed chunks
   * (the same chunks and claims), so the job's end copies only the parts after it.
   */
  private static final class Assembly {
    final OutputStream out;
    final List<ClaimedChunk> appended = new ArrayList<>();
    final Map<Integer, ClaimedChunk> waiting = new HashMap<>();

    Assembly(OutputStream out) {
      this.out = out;
    }
  }

  /** A running job as this router works on it. */
  private static final class JobRun {
    final BatchJob job;
    final List<ChunkWork> chunks = new ArrayList<>();
    final Map<ChunkWork, LineReader> readers = new HashMap<>();
    final ArrayDeque<Item> ready = new ArrayDeque<>();
    int inFlight;
    // complete chunks whose parts are being written and committed
    int writing;
    boolean exhausted;

    JobRun(BatchJob job) {
      this.job = job;
    }

    int maxHeld() {
      // Enough chunks to keep `parallelism` items going, one more being read ahead, and one
      // being written while the next fills.
      int size = job.job().batchSize();
      return Math.max(2, (job.job().parallelism() + size - 1) / size + 1) + 1;
    }

    int held() {
      return chunks.size() + writing;
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
  private final ExecutorService codec;
  private final ExecutorService writer;
  private final Map<String, JobRun> runs = new HashMap<>();
  // the writer thread's alone
  private final Map<String, Assembly> assemblies = new HashMap<>();
  private final String tag;
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
    this.tag = owner.replaceAll("[^A-Za-z0-9_-]", "-");
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "serval-batch-runner");
              t.setDaemon(true);
              return t;
            });
    AtomicInteger codecs = new AtomicInteger();
    this.codec =
        Executors.newFixedThreadPool(
            CODEC_THREADS,
            r -> {
              Thread t = new Thread(r, "serval-batch-codec-" + codecs.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "serval-batch-writer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Looks for work now instead of at the next poll (a job was submitted). */
  public void wake() {
    if (closed) {
      return;
    }
    try {
      thread.execute(this::tickSafely);
    } catch (RejectedExecutionException e) {
      // closing
    }
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
    claimJobWork();
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
        String id = run.job.id();
        try {
          writer.execute(() -> dropAssembly(id));
        } catch (RejectedExecutionException e) {
          // closing: every assembly is dropped
        }
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

  private void claimJobWork() {
    for (JobClaim claim : store.claimJobWork(owner, settings.lease(), 4)) {
      jobWork(claim);
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
      return;
    }
    // On the writer thread, after the parts it is writing, and beside the assembly it may hold.
    try {
      writer.execute(() -> writeFiles(claim, job));
    } catch (RejectedExecutionException e) {
      // closing: the job-level claim's lease runs out and the files are written then
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
    List<ClaimedChunk> done;
    try {
      done = store.doneChunks(job.id());
      write(job, done);
    } catch (IOException | RuntimeException e) {
      String error = "cannot write the results: " + e.getMessage();
      LOG.warnf(e, "batch job %s: %s", job.id(), error);
      if (store.failJob(claim, error)) {
        log(job.id(), "failed: " + error);
      }
      return;
    }
    if (store.finish(claim)) {
      deleteParts(job, done);
      long written = done.stream().mapToLong(c -> c.plan().items()).sum();
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
   * Writes both files: the results file is the committed chunks' parts in chunk order (each part
   * holds its chunk's lines in index order), the failures file comes from the store's failed items.
   * On a failure neither is published (an object appears whole or not at all; a local file is moved
   * into place only when complete).
   */
  private void write(BatchJob job, List<ClaimedChunk> done) throws IOException {
    URI output = URI.create(job.job().output());
    Assembly assembly = assemblies.remove(job.id());
    int from = 0;
    OutputStream results;
    if (assembly != null
        && done.size() >= assembly.appended.size()
        && done.subList(0, assembly.appended.size()).equals(assembly.appended)) {
      results = assembly.out;
      from = assembly.appended.size();
    } else {
      if (assembly != null) {
        discard(assembly);
      }
      results = files.create(output);
    }
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
      try {
        for (ClaimedChunk c : done.subList(from, done.size())) {
          files.append(ChunkParts.of(job.job().output(), c), results);
        }
        ResultWriter writer = ResultWriter.failures(failures);
        store.forEachFailure(
            job.id(),
            o -> {
              try {
                writer.write(o);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      } catch (IOException | RuntimeException e) {
        files.abort(results);
        files.abort(failures);
        throw e;
      }
    }
  }

  /**
   * On the writer thread, after a chunk is committed: appends its part, and those of this router's
   * chunks that follow it, to the job's results file in assembly. Only an optimization: any failure
   * drops the assembly, and the job's end writes the file whole from the parts.
   */
  private void assembleAhead(BatchJob job, ClaimedChunk c) {
    URI output = URI.create(job.job().output());
    if (!files.assemblesAhead(output)) {
      return;
    }
    Assembly a = assemblies.get(job.id());
    try {
      if (a == null) {
        a = new Assembly(files.createTagged(output, tag));
        assemblies.put(job.id(), a);
      }
      a.waiting.put(c.plan().chunk(), c);
      ClaimedChunk next;
      while ((next = a.waiting.remove(a.appended.size())) != null) {
        files.append(ChunkParts.of(job.job().output(), next), a.out);
        a.appended.add(next);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debugf(e, "batch job %s: assembling its results ahead failed", job.id());
      dropAssembly(job.id());
    }
  }

  private void dropAssembly(String jobId) {
    Assembly a = assemblies.remove(jobId);
    if (a != null) {
      discard(a);
    }
  }

  private void discard(Assembly a) {
    try {
      files.abort(a.out);
      a.out.close();
    } catch (IOException | RuntimeException e) {
      LOG.debugf(e, "batch runner: discarding an assembly failed");
    }
  }

  /**
   * Deletes the parts once the results file holds them: every claim's of each chunk (a holder that
   * died after writing its part left one under an earlier claim number).
   */
  private void deleteParts(BatchJob job, List<ClaimedChunk> done) {
    for (ClaimedChunk c : done) {
      for (int claim = 1; claim <= c.attempt(); claim++) {
        deletePart(ChunkParts.of(job.job().output(), c.plan().chunk(), claim));
      }
    }
  }

  private void deletePart(URI part) {
    try {
      files.delete(part);
    } catch (IOException | RuntimeException e) {
      LOG.debugf(e, "batch runner: cannot delete part %s", part);
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
        if (run.exhausted || run.held() >= run.maxHeld()) {
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
    // The API's slot is free: the next item goes now, while this answer is encoded.
    item.run.inFlight--;
    fill(item.run);
    try {
      codec.execute(
          () -> {
            ItemOutcome outcome;
            try {
              outcome =
                  ItemOutcome.success(
                      item.index, ItemCodec.encode(answer, item.request), item.tries);
            } catch (V2Exception e) {
              outcome =
                  ItemOutcome.failure(item.index, ItemCodec.describe(e.grpcStatus()), item.tries);
            } catch (RuntimeException e) {
              outcome =
                  ItemOutcome.failure(
                      item.index, "INTERNAL: the answer could not be encoded: " + e, item.tries);
            }
            ItemOutcome o = outcome;
            onRunner(
                () -> {
                  if (current(item)) {
                    finishItem(item.run, item.chunk, o);
                  }
                });
          });
    } catch (RejectedExecutionException e) {
      // closing: the chunk is released or its lease runs out
    }
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

  /**
   * Records an outcome; once every item of the chunk has one, hands the chunk to the writer, which
   * writes its part and commits it.
   */
  private void finishItem(JobRun run, ChunkWork chunk, ItemOutcome outcome) {
    chunk.record(outcome);
    if (!chunk.complete()) {
      return;
    }
    run.chunks.remove(chunk);
    closeReader(run, chunk);
    run.writing++;
    try {
      writer.execute(() -> commit(run, chunk));
    } catch (RejectedExecutionException e) {
      // closing: the chunk's lease runs out and it runs again
    }
  }

  /**
   * On the writer thread: writes the chunk's part (its results lines in index order) and makes it
   * durable, then commits the chunk; a part the commit was fenced off from is deleted. A chunk
   * whose part cannot be written is handed back, to run again.
   */
  private void commit(JobRun run, ChunkWork chunk) {
    ClaimedChunk c = chunk.claim();
    URI part = ChunkParts.of(run.job.job().output(), c);
    boolean committed = false;
    try {
      List<ItemOutcome> outcomes = chunk.outcomesInOrder();
      OutputStream out = files.create(part);
      try (out) {
        ResultWriter lines = ResultWriter.part(out);
        try {
          for (ItemOutcome o : outcomes) {
            lines.write(o);
          }
        } catch (IOException | RuntimeException e) {
          files.abort(out);
          throw e;
        }
      }
      committed = store.completeChunk(c, outcomes);
      if (committed) {
        logFailures(run, c, chunk.failures());
        assembleAhead(run.job, c);
      } else {
        LOG.debugf(
            "batch job %s: chunk %d was taken by another claim or cancelled; its part dropped",
            run.job.id(), c.plan().chunk());
        deletePart(part);
      }
    } catch (IOException e) {
      // The output cannot be written (denied, gone, full): the job cannot succeed, and running the
      // chunk again would only meet the same storage.
      String error = "cannot write the results: " + e.getMessage();
      LOG.warnf(e, "batch job %s: %s", run.job.id(), error);
      deletePart(part);
      if (store.failRunning(run.job.id(), error)) {
        log(run.job.id(), "failed: " + error);
      }
    } catch (RuntimeException e) {
      LOG.warnf(
          e, "batch job %s: cannot commit chunk %d; it runs again", run.job.id(), c.plan().chunk());
      try {
        store.releaseChunk(c);
      } catch (RuntimeException released) {
        LOG.debugf(
            released, "batch job %s: releasing chunk %d failed", run.job.id(), c.plan().chunk());
      }
    }
    boolean done = committed;
    onRunner(() -> written(run, done));
  }

  /** On the runner: a chunk's part is written (and committed, or not); fill the room it left. */
  private void written(JobRun run, boolean committed) {
    run.writing--;
    if (run.chunks.isEmpty()) {
      run.exhausted = false; // look for another chunk
    }
    if (committed && run.chunks.isEmpty() && run.writing == 0) {
      // Perhaps the job's last chunk: write its files now rather than at the next poll.
      claimJobWork();
    }
    fill(run);
  }

  private void logFailures(JobRun run, ClaimedChunk c, List<ItemOutcome> failed) {
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
      codec.shutdownNow();
      // A part being written is finished and its chunk committed: its items need not run again.
      try {
        writer.execute(
            () -> {
              for (String id : List.copyOf(assemblies.keySet())) {
                dropAssembly(id);
              }
            });
      } catch (RejectedExecutionException e) {
        // already shut down
      }
      writer.shutdown();
      try {
        if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
          writer.shutdownNow();
        }
      } catch (InterruptedException e) {
        writer.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
