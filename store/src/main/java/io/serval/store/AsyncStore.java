package io.serval.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable store of async requests. Every method commits before it returns: once {@link #submit}
 * has returned, the request survives a crash of any process. Several processes may share one store;
 * {@link #claim} never hands one request to two holders whose leases are both valid, and only the
 * holder of a request's latest claim can write its result, so a result is written exactly once even
 * when a crashed holder's work is done again.
 */
public interface AsyncStore {

  /**
   * Stores a new pending request.
   *
   * @throws StoreException also when the id is already taken
   */
  void submit(NewAsyncRequest request);

  /**
   * Stores a new request already claimed by {@code owner} for {@code lease}, as its first attempt:
   * one insert that is both the submit and the claim, for a router that runs the request at once.
   * From then on it is like any claimed request: renewed, fenced by its attempt, and taken by
   * another holder once its lease runs out.
   *
   * @throws StoreException also when the id is already taken
   */
  ClaimedRequest submitClaimed(NewAsyncRequest request, String owner, Duration lease);

  /**
   * Takes up to {@code terms.max()} requests of one API, oldest first, for {@code terms.lease()}:
   * pending ones, and running ones whose lease has run out (their holder is presumed dead). A
   * request whose lease ran out after {@code terms.maxAttempts()} claims fails instead ("gave up
   * after N attempts"), so a request that kills its holder every time does not loop forever.
   */
  List<ClaimedRequest> claim(String api, String owner, ClaimTerms terms);

  /** Extends the lease of requests this owner still holds; returns how many it still holds. */
  int renew(String owner, List<String> ids, Duration lease);

  /**
   * Writes the result of a claimed request, once: returns false (and writes nothing) if the request
   * was claimed again since {@code attempt}, cancelled, or already finished.
   *
   * @param resultTtl how long the result is kept
   */
  boolean succeed(String id, int attempt, String responseType, byte[] response, Duration resultTtl);

  /** Like {@link #succeed}, for a request given up on, with the reason. */
  boolean fail(String id, int attempt, String reason, Duration resultTtl);

  /**
   * Hands a claimed request back without counting the attempt against it (the dispatcher is
   * shutting down, or the API has no replica now); false if this attempt no longer holds it.
   */
  boolean release(String id, int attempt);

  /** Cancels a pending request; false if it is not pending (running, finished or unknown). */
  boolean cancel(String id, Duration resultTtl);

  /** The request's record, if it exists and has not expired. */
  Optional<AsyncRecord> find(String id);

  /**
   * Which of {@code ids} have finished (succeeded, failed or cancelled) and not expired: one read
   * for many held result requests, so that a router sees results other routers wrote without a read
   * per waiting client. Unknown ids are left out.
   */
  Set<String> finishedAmong(Collection<String> ids);

  /**
   * Requests not finished (pending or running), per API: the async backlog the autoscaler counts.
   */
  Map<String, Long> backlog();

  /**
   * Requests waiting to be taken (pending), per API: the part of the backlog no router holds yet.
   * What routers hold is already in their in-flight counts, so the autoscaler adds only this.
   */
  Map<String, Long> pending();

  /** Deletes finished requests whose results have expired; returns how many. */
  int purgeExpired();
}
