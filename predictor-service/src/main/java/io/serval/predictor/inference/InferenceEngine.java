package io.serval.predictor.inference;

import ai.onnxruntime.OrtException;
import io.serval.predictor.batching.Batch;
import io.serval.predictor.batching.BatchingPolicy;
import io.serval.predictor.batching.DynamicBatcher;
import io.serval.predictor.batching.QueueFullException;
import io.serval.predictor.batching.Ticker;
import io.serval.predictor.model.ModelSignature;
import io.serval.predictor.model.SessionFactory;
import io.serval.v2.RawTensor;
import io.serval.v2.V2Exception;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs the model: {@code workers} threads, each with its own session, take batches from one {@link
 * DynamicBatcher}. Callers submit validated requests and get a future completed on a worker thread,
 * so inference never runs on the caller's (event loop) thread.
 */
public final class InferenceEngine {
  private static final Logger LOG = Logger.getLogger(InferenceEngine.class);

  private final String modelName;
  private final ModelSignature signature;
  private final RequestPreparer preparer;
  private final DynamicBatcher<Queued, List<RawTensor>> batcher;
  private final TaskTracer tracer;
  private final List<Worker> workers;
  private final List<Thread> threads = new ArrayList<>();
  private final InferenceMetrics metrics;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int maxBatchSize;
  private volatile boolean ready;
  private volatile WarmupResult warmup = WarmupResult.OFF;
  private volatile long warmupNanos;

  private InferenceEngine(
      EngineSettings settings,
      ModelSignature signature,
      List<Worker> workers,
      InferenceMetrics metrics,
      TaskTracer tracer) {
    this.tracer = tracer;
    this.modelName = settings.modelName();
    this.signature = signature;
    this.workers = workers;
    this.metrics = metrics;
    BatchingPolicy policy = settings.batching();
    if (!signature.batchable() && policy.maxBatchSize() > 1) {
      LOG.infof(
          "Model '%s' has no batch dimension on every input and output: requests bypass the batcher",
          modelName);
      policy = new BatchingPolicy(1, Duration.ZERO, policy.maxQueueSize());
    }
    this.maxBatchSize = policy.maxBatchSize();
    this.preparer = new RequestPreparer(modelName, signature, policy.maxBatchSize());
    this.batcher = new DynamicBatcher<>(policy, Ticker.system());
  }

  /**
   * Opens the sessions, warms each one up when asked, and starts the worker threads.
   *
   * @throws io.serval.predictor.model.ModelLoadException when the model cannot be loaded (a warm-up
   *     that fails is a warning, not a failure)
   */
  public static InferenceEngine start(
      EngineSettings settings, SessionFactory sessions, InferenceMetrics metrics) {
    return start(settings, sessions, metrics, TaskTracer.NONE);
  }

  /**
   * As {@link #start(EngineSettings, SessionFactory, InferenceMetrics)}, with each request's batch
   * wait and model call reported to {@code tracer}.
   */
  public static InferenceEngine start(
      EngineSettings settings,
      SessionFactory sessions,
      InferenceMetrics metrics,
      TaskTracer tracer) {
    List<Worker> workers = new ArrayList<>();
    ModelSignature sig = null;
    try {
      for (int i = 0; i < settings.workers(); i++) {
        var session = sessions.open();
        if (sig == null) {
          sig = SessionFactory.signature(session);
        }
        workers.add(new Worker(sessions.environment(), session, sig));
      }
      InferenceEngine engine = new InferenceEngine(settings, sig, workers, metrics, tracer);
      long warmupStart = System.nanoTime();
      engine.warmup =
          settings.warmup() ? engine.warmUp(settings.warmupRequest()) : WarmupResult.OFF;
      engine.warmupNanos = System.nanoTime() - warmupStart;
      metrics.warmup(engine.warmup);
      engine.startThreads();
      return engine;
    } catch (RuntimeException e) {
      for (Worker w : workers) {
        closeQuietly(w);
      }
      throw e;
    }
  }

  /**
   * Runs the warm-up input once on every session. Never fails the start: a model whose warm-up
   * input it cannot run (a MaxUnpool whose output shape must fit its indices, a sample that does
   * not fit the model) still serves valid requests, so a failure is a warning and the replica
   * becomes ready anyway. Synthetic inputs cannot trap (see {@link WarmupTask}); a user's sample is
   * the user's to choose.
   */
  private WarmupResult warmUp(Optional<byte[]> sample) {
    InferenceTask task;
    String source = sample.isPresent() ? WarmupResult.SAMPLE : WarmupResult.SYNTHETIC;
    try {
      task =
          sample.isPresent()
              ? WarmupTask.fromRequest(sample.get(), modelName, preparer)
              : WarmupTask.synthetic(signature);
    } catch (RuntimeException e) {
      LOG.warnf(
          "Warm-up sample of model '%s' (spec.predictor.warmup) does not fit the model: %s;"
              + " serving without a warm-up",
          modelName, e.getMessage());
      return new WarmupResult(source, WarmupResult.SKIPPED, e.getMessage());
    }
    for (int i = 0; i < workers.size(); i++) {
      long t0 = System.nanoTime();
      try {
        workers.get(i).run(List.of(task));
      } catch (OrtException | RuntimeException e) {
        LOG.warnf(
            "Warm-up of model '%s' with %s inputs failed on worker %d: %s; serving anyway (the"
                + " first requests pay for lazy initialisation; spec.predictor.warmup gives a"
                + " sample that suits the model)",
            modelName, source, i, e.getMessage());
        return new WarmupResult(source, WarmupResult.FAILED, String.valueOf(e.getMessage()));
      }
      LOG.infof(
          "Warm-up of model '%s' with %s inputs ran on worker %d in %d ms",
          modelName, source, i, (System.nanoTime() - t0) / 1_000_000);
    }
    return new WarmupResult(source, WarmupResult.OK, "");
  }

  private void startThreads() {
    for (int i = 0; i < workers.size(); i++) {
      Worker w = workers.get(i);
      Thread t =
          Thread.ofPlatform().name("serval-worker-" + i).daemon(true).unstarted(() -> loop(w));
      threads.add(t);
      t.start();
    }
    ready = true;
  }

  public ModelSignature signature() {
    return signature;
  }

  /** How the warm-up went. */
  public WarmupResult warmup() {
    return warmup;
  }

  /** How long the warm-up took on all sessions (0 when it is off). */
  public long warmupNanos() {
    return warmupNanos;
  }

  /** Batch size in effect (1 when batching is off or the model has no batch dimension). */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** Loaded, warmed up and taking requests. */
  public boolean ready() {
    return ready;
  }

  /**
   * Validates a request against the model.
   *
   * @throws V2Exception INVALID_ARGUMENT naming the tensor and the problem
   */
  public RequestPreparer.Prepared prepare(List<RawTensor> inputs, List<String> requestedOutputs) {
    return preparer.prepare(inputs, requestedOutputs);
  }

  /**
   * Queues a prepared request.
   *
   * @return the request's outputs, completed on a worker thread; failed with a {@link V2Exception}
   * @throws V2Exception UNAVAILABLE at once when the queue is full or the engine is shutting down
   */
  public CompletableFuture<List<RawTensor>> submit(RequestPreparer.Prepared p) {
    try {
      inFlight.incrementAndGet();
      CompletableFuture<List<RawTensor>> result =
          batcher.submit(p.key(), p.rows(), new Queued(p.task(), tracer.queued()));
      result.whenComplete(
          (r, t) -> {
            // A cancelled request still queued is dropped before a worker spends time on it.
            if (result.isCancelled() && batcher.withdraw(result)) {
              inFlight.decrementAndGet();
            }
          });
      return result;
    } catch (QueueFullException e) {
      inFlight.decrementAndGet();
      throw V2Exception.unavailable("model '" + modelName + "': " + e.getMessage());
    }
  }

  /** Requests waiting for a worker. */
  public int queued() {
    return batcher.queued();
  }

  /** Requests queued or running. */
  public int inFlight() {
    return inFlight.get();
  }

  private void loop(Worker worker) {
    List<InferenceTask> tasks = new ArrayList<>();
    while (true) {
      Batch<Queued, List<RawTensor>> batch;
      try {
        batch = batcher.take(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        if (batcher.isDrained()) {
          return;
        }
        continue;
      }
      long start = System.nanoTime();
      tasks.clear();
      for (Batch.Entry<Queued, List<RawTensor>> e : batch.entries()) {
        metrics.queued(start - e.enqueuedNanos());
        tasks.add(e.input().task());
      }
      try {
        List<List<RawTensor>> outputs = worker.run(tasks);
        traced(batch, start, System.nanoTime(), null);
        metrics.executed(
            batch.size(),
            batch.rows(),
            worker.inputNanos(),
            worker.inferNanos(),
            worker.outputNanos());
        batch.complete(outputs);
      } catch (OrtException | RuntimeException e) {
        traced(batch, start, System.nanoTime(), e);
        V2Exception failure = ModelFailures.classify(modelName, e);
        if (failure.kind() == V2Exception.Kind.INVALID_ARGUMENT && batch.size() > 1) {
          // One request's bad input must not fail the others it was batched with.
          runAlone(worker, batch);
        } else {
          batch.fail(failure);
        }
      } finally {
        inFlight.addAndGet(-batch.size());
        metrics.batch(batch.size(), batch.rows(), System.nanoTime() - start);
      }
    }
  }

  /** Runs each request of a batch on its own, so that each gets its own outcome. */
  /** Reports each request's batch wait and model call (before answering, so spans end in order). */
  private static void traced(
      Batch<Queued, List<RawTensor>> batch, long start, long end, Throwable failure) {
    for (Batch.Entry<Queued, List<RawTensor>> e : batch.entries()) {
      e.input().trace().ran(e.enqueuedNanos(), start, end, batch.size(), batch.rows(), failure);
    }
  }

  /** A request in the batcher, with its trace. */
  private record Queued(InferenceTask task, TaskTracer.TaskTrace trace) {}

  private void runAlone(Worker worker, Batch<Queued, List<RawTensor>> batch) {
    for (Batch.Entry<Queued, List<RawTensor>> e : batch.entries()) {
      try {
        e.result().complete(worker.run(List.of(e.input().task())).get(0));
      } catch (OrtException | RuntimeException t) {
        e.result().completeExceptionally(ModelFailures.classify(modelName, t));
      }
    }
  }

  /**
   * Stops taking requests, lets queued and running ones finish within {@code grace}, fails what is
   * left with UNAVAILABLE, then closes the sessions whose workers have stopped.
   */
  public void shutdown(Duration grace) {
    ready = false;
    batcher.close();
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread t : threads) {
      joinUntil(t, deadline);
    }
    int dropped =
        batcher.failQueued(
            V2Exception.unavailable(
                "model '"
                    + modelName
                    + "': the predictor shut down before this request ran (grace period "
                    + grace
                    + ")"));
    if (dropped > 0) {
      inFlight.addAndGet(-dropped);
      LOG.warnf(
          "Shutdown grace period %s ended with %d requests still queued; failed them",
          grace, dropped);
    }
    for (int i = 0; i < workers.size(); i++) {
      Thread t = i < threads.size() ? threads.get(i) : null;
      if (t == null || !t.isAlive()) {
        closeQuietly(workers.get(i));
      } else {
        // Closing a session under a running call would free memory it still uses.
        LOG.warnf(
            "Worker %s is still running after the grace period; leaving its session open",
            t.getName());
      }
    }
  }

  private static void joinUntil(Thread t, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      t.join(Duration.ofNanos(left));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Worker w) {
    try {
      w.close();
    } catch (OrtException | RuntimeException e) {
      LOG.debug("closing a session failed", e);
    }
  }
}
