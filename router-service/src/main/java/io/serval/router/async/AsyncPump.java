package io.serval.router.async;

import io.grpc.Status;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.router.stats.AsyncBacklog;
import io.serval.router.wire.AsyncForms;
import io.serval.store.AsyncRecord;
import io.serval.store.AsyncState;
import io.serval.store.AsyncStore;
import io.serval.store.ClaimTerms;
import io.serval.store.ClaimedRequest;
import io.serval.store.NewAsyncRequest;
import io.serval.v2.EncodedBody;
import io.serval.v2.RestInferResponseEncoder;
import io.serval.v2.V2Exception;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs async requests from the store through this router's APIs. One thread of its own (JDBC
 * blocks; never an event loop) does all of the pump's work, so its state needs no lock: every poll
 * it claims, for each API this router routes, as many pending requests as the API has free slots
 * (so async work never queues ahead of realtime requests, and a backlog of any depth costs the
 * queue nothing), sends each through the API's queue behind realtime traffic ({@link AsyncTarget}),
 * renews the leases of what it holds, writes each result once ({@code succeed}/{@code fail} fenced
 * by the claim's attempt), retries transient failures ({@link RetryDecision}), asks for replicas of
 * an API whose requests wait while it has none, and deletes expired results. Closing it hands its
 * claims back to the store for another router (or itself, restarted) to take.
 */
public final class AsyncPump implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AsyncPump.class);

  /**
   * The pump's settings.
   *
   * @param lease how long a claim holds without renewal
   * @param maxAttempts tries of one request in all
   * @param retryBackoff wait before the first retry
   * @param maxRetryBackoff longest wait between tries
   * @param pollInterval how often to look for work
   * @param claimBatch most requests per claim
   * @param purgeInterval how often expired results are deleted
   * @param wakeInterval how often APIs with waiting requests and no replica are woken
   */
  public record Settings(
      Duration lease,
      int maxAttempts,
      Duration retryBackoff,
      Duration maxRetryBackoff,
      Duration pollInterval,
      int claimBatch,
      Duration purgeInterval,
      Duration wakeInterval) {
    public Settings {
      if (!lease.isPositive() || !pollInterval.isPositive() || !purgeInterval.isPositive()) {
        throw new IllegalArgumentException(
            "serval.router.async: lease, poll-interval and purge-interval must be positive");
      }
      if (maxAttempts < 1 || claimBatch < 1) {
        throw new IllegalArgumentException(
            "serval.router.async: max-attempts and claim-batch must be at least 1");
      }
      if (retryBackoff.isNegative() || maxRetryBackoff.compareTo(retryBackoff) < 0) {
        throw new IllegalArgumentException(
            "serval.router.async: retry-backoff must be >= 0 and <= max-retry-backoff");
      }
    }
  }

  /** A request this pump holds. */
  private static final class Held {
    final ClaimedRequest claim;
    int tries;

    Held(ClaimedRequest claim) {
      this.claim = claim;
      this.tries = claim.attempt();
    }
  }

  private final AsyncStore store;
  private final AsyncTarget target;
  private final Settings settings;
  private final String owner;
  private final Consumer<String> wakeUp;
  private final AsyncBacklog backlog;
  private final Consumer<AsyncRecord> finished;
  private final ScheduledExecutorService thread;
  private final Map<String, Held> held = new HashMap<>();
  private volatile boolean closed;
  private boolean claimQueued;
  private long lastRenew;
  private long lastPurge;
  private long lastWake;

  /**
   * @param owner names this pump's claims in the store (unique per router process)
   * @param wakeUp asks for replicas of an API that has none
   * @param backlog where the pending counts go for the stats reports (the autoscaler's input)
   */
  public AsyncPump(
      AsyncStore store,
      AsyncTarget target,
      Settings settings,
      String owner,
      Consumer<String> wakeUp,
      AsyncBacklog backlog) {
    this(store, target, settings, owner, wakeUp, backlog, r -> {});
  }

  /**
   * @param finished told of each request this pump finished, right after its state was committed
   *     (the clients held for its result answer then, without polling: {@link ResultWatch})
   */
  public AsyncPump(
      AsyncStore store,
      AsyncTarget target,
      Settings settings,
      String owner,
      Consumer<String> wakeUp,
      AsyncBacklog backlog,
      Consumer<AsyncRecord> finished) {
    this.finished = finished;
    this.store = store;
    this.target = target;
    this.settings = settings;
    this.owner = owner;
    this.wakeUp = wakeUp;
    this.backlog = backlog;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "serval-async-pump");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts polling. */
  public void start() {
    long now = System.nanoTime();
    lastRenew = now;
    lastPurge = now - settings.purgeInterval().toNanos(); // purge once at start
    lastWake = now - settings.wakeInterval().toNanos();
    long poll = settings.pollInterval().toNanos();
    thread.scheduleWithFixedDelay(this::tickSafely, 0, poll, TimeUnit.NANOSECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // The store may be briefly unreachable; the next poll tries again.
      LOG.warnf(e, "async pump: a poll failed");
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    if (!held.isEmpty() && now - lastRenew >= settings.lease().toNanos() / 3) {
      lastRenew = now;
      store.renew(owner, List.copyOf(held.keySet()), settings.lease());
    }
    if (now - lastPurge >= settings.purgeInterval().toNanos()) {
      lastPurge = now;
      int purged = store.purgeExpired();
      if (purged > 0) {
        LOG.debugf("async pump: deleted %d expired results", purged);
      }
    }
    claimRound();
    if (now - lastWake >= settings.wakeInterval().toNanos()) {
      lastWake = now;
      wakeIdleApis();
    }
  }

  /** Claims, for each API, as many requests as it has free slots, and sends them. */
  private void claimRound() {
    claimQueued = false;
    for (String api : target.apis()) {
      int room = Math.min(target.freeSlots(api), settings.claimBatch());
      if (room <= 0) {
        continue;
      }
      ClaimTerms terms =
          new ClaimTerms(settings.lease(), room, settings.maxAttempts(), target.resultTtl(api));
      for (ClaimedRequest c : store.claim(api, owner, terms)) {
        Held h = new Held(c);
        held.put(c.id(), h);
        send(h);
      }
    }
  }

  /**
   * A request finished and freed its slot: claim again now rather than at the next poll, so that a
   * backlog runs at the replicas' pace, not the poll interval's. Coalesced: one round queued.
   */
  private void claimSoon() {
    if (!claimQueued && !closed) {
      claimQueued = true;
      thread.execute(
          () -> {
            try {
              claimRound();
            } catch (RuntimeException e) {
              claimQueued = false;
              LOG.warnf(e, "async pump: a claim failed");
            }
          });
    }
  }

  /**
   * A request was just stored: claim now instead of at the next poll, so that at idle an async
   * request waits for no poll (the poll interval was most of its latency over realtime). Safe from
   * any thread; coalesced with other wake-ups and with claims after finished requests.
   */
  public void wake() {
    if (closed) {
      return;
    }
    try {
      thread.execute(this::claimSoon);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: the next pump takes the request
    }
  }

  /**
   * Stores {@code request} claimed by this pump and runs it, if its API has a free slot now: one
   * insert that is also the claim (attempt 1, under this pump's lease), instead of a submit, a
   * wake-up and a claim: a second store write and a hop, most of the time between the 202 and the
   * request running. Called on the intake's store thread; the request then goes to the pump thread
   * like a claimed one (lease renewals, fencing, retries; if this router dies, its lease runs out
   * and another pump claims it). The room is read outside the pump's thread, so a claim round
   * running at the same moment may take the same slot: the request then waits in the API's
   * background lane for the next one, behind realtime traffic as always.
   *
   * @return false, having stored nothing, when there is no room or the pump is closing
   */
  public boolean submitAndTake(NewAsyncRequest request) {
    if (closed || target.freeSlots(request.api()) <= 0) {
      return false;
    }
    ClaimedRequest c = store.submitClaimed(request, owner, settings.lease());
    try {
      thread.execute(() -> adopt(c));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: stored and claimed; its lease runs out and the next pump takes it
    }
    return true;
  }

  /** Runs a request stored claimed by {@link #submitAndTake}, as if a claim round had taken it. */
  private void adopt(ClaimedRequest c) {
    if (closed) {
      return; // its lease runs out and the next pump takes it
    }
    Held h = new Held(c);
    held.put(c.id(), h);
    send(h);
  }

  /**
   * Counts what waits in the store for the autoscaler, and asks for replicas of an API with
   * unfinished requests and none (it gets none by itself while no realtime request queues for it).
   */
  private void wakeIdleApis() {
    backlog.update(store.pending());
    Map<String, Long> unfinished = store.backlog();
    for (String api : target.apis()) {
      if (unfinished.getOrDefault(api, 0L) > 0 && !target.hasUsableReplica(api)) {
        wakeUp.accept(api);
      }
    }
  }

  private void send(Held h) {
    ClaimedRequest c = h.claim;
    target.submit(
        c.id(),
        c.api(),
        c.body(),
        new AsyncTarget.Done() {
          @Override
          public void succeeded(byte[] response) {
            runOnPump(() -> succeed(h, response));
          }

          @Override
          public void failed(Status status) {
            runOnPump(() -> tryFailed(h, status));
          }
        });
  }

  private void runOnPump(Runnable r) {
    if (closed) {
      return;
    }
    try {
      thread.execute(
          () -> {
            try {
              r.run();
            } catch (RuntimeException e) {
              // Not written: the lease runs out and the request is tried again.
              LOG.warnf(e, "async pump: writing a result failed");
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: the claim is released or its lease runs out
    }
  }

  private void succeed(Held h, byte[] answer) {
    if (closed || held.get(h.claim.id()) != h) {
      return;
    }
    ClaimedRequest c = h.claim;
    EncodedBody encoded;
    try {
      encoded =
          RestInferResponseEncoder.encode(
              ModelInferResponse.parseFrom(answer), ModelInferRequest.parseFrom(c.body()));
    } catch (com.google.protobuf.InvalidProtocolBufferException | V2Exception e) {
      tryFailed(h, Status.INTERNAL.withDescription("the answer could not be encoded: " + e));
      return;
    }
    held.remove(c.id());
    String type =
        AsyncForms.resultType(encoded.contentType(), encoded.inferenceHeaderContentLength());
    boolean written =
        store.succeed(c.id(), c.attempt(), type, encoded.body(), target.resultTtl(c.api()));
    claimSoon();
    if (written) {
      tell(
          c,
          AsyncState.SUCCEEDED,
          Optional.of(type),
          Optional.of(encoded.body()),
          Optional.empty());
    } else {
      LOG.debugf("async pump: request %s was taken by another claim; result dropped", c.id());
    }
  }

  private void tryFailed(Held h, Status status) {
    if (closed || held.get(h.claim.id()) != h) {
      return;
    }
    ClaimedRequest c = h.claim;
    RetryDecision d =
        RetryDecision.after(
            status,
            h.tries,
            settings.maxAttempts(),
            settings.retryBackoff(),
            settings.maxRetryBackoff());
    if (d.retry()) {
      h.tries++;
      LOG.debugf(
          "async pump: request %s failed (%s); try %d in %s",
          c.id(), d.reason(), h.tries, d.delay());
      thread.schedule(
          () -> {
            if (!closed && held.get(c.id()) == h) {
              send(h);
            }
          },
          d.delay().toNanos(),
          TimeUnit.NANOSECONDS);
      return;
    }
    held.remove(c.id());
    boolean written = store.fail(c.id(), c.attempt(), d.reason(), target.resultTtl(c.api()));
    claimSoon();
    if (written) {
      tell(c, AsyncState.FAILED, Optional.empty(), Optional.empty(), Optional.of(d.reason()));
    }
  }

  /** Hands a committed outcome to whoever waits for it on this router. */
  private void tell(
      ClaimedRequest c,
      AsyncState state,
      Optional<String> type,
      Optional<byte[]> body,
      Optional<String> reason) {
    try {
      finished.accept(
          new AsyncRecord(
              c.id(),
              c.api(),
              state,
              c.attempt(),
              c.createdAt(),
              Optional.of(Instant.now()),
              type,
              body,
              reason));
    } catch (RuntimeException e) {
      // A held client then gets its answer from the store at its next re-read or at its end.
      LOG.warnf(e, "async pump: telling the clients waiting for %s failed", c.id());
    }
  }

  /**
   * Stops polling and hands every claim back (not counted as an attempt), so that another router,
   * or this one restarted, takes them without waiting for their leases to run out.
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
                List<Held> all = new ArrayList<>(held.values());
                held.clear();
                for (Held h : all) {
                  store.release(h.claim.id(), h.claim.attempt());
                }
                return all.size();
              })
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warnf(e, "async pump: releasing claims at shutdown failed; their leases will run out");
    } finally {
      thread.shutdownNow();
    }
  }
}
