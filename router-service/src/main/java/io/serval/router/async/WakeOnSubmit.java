package io.serval.router.async;

import io.serval.store.AsyncRecord;
import io.serval.store.AsyncStore;
import io.serval.store.ClaimTerms;
import io.serval.store.ClaimedRequest;
import io.serval.store.NewAsyncRequest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The store as the intake sees it. When this router's pump can run the request at once ({@code
 * takeNow}: its API has a free slot), the request is stored already claimed by the pump and handed
 * to it, one insert instead of a submit, a wake-up and a claim. Otherwise it is stored pending and
 * {@code onSubmitted} runs once it is committed, so that the pump claims it at once rather than at
 * its next poll. Requests stored by other routers (PostgreSQL) still wait for a poll; they are not
 * this router's to hurry.
 */
public final class WakeOnSubmit implements AsyncStore {
  private final AsyncStore store;
  private final Runnable onSubmitted;
  private final Predicate<NewAsyncRequest> takeNow;

  public WakeOnSubmit(AsyncStore store, Runnable onSubmitted) {
    this(store, onSubmitted, r -> false);
  }

  /**
   * @param takeNow stores the request claimed and runs it ({@link AsyncPump#submitAndTake}), or
   *     answers false, having stored nothing, when it cannot run it now
   */
  public WakeOnSubmit(AsyncStore store, Runnable onSubmitted, Predicate<NewAsyncRequest> takeNow) {
    this.store = store;
    this.onSubmitted = onSubmitted;
    this.takeNow = takeNow;
  }

  @Override
  public void submit(NewAsyncRequest request) {
    if (takeNow.test(request)) {
      return;
    }
    store.submit(request);
    onSubmitted.run();
  }

  @Override
  public ClaimedRequest submitClaimed(NewAsyncRequest request, String owner, Duration lease) {
    return store.submitClaimed(request, owner, lease);
  }

  @Override
  public List<ClaimedRequest> claim(String api, String owner, ClaimTerms terms) {
    return store.claim(api, owner, terms);
  }

  @Override
  public int renew(String owner, List<String> ids, Duration lease) {
    return store.renew(owner, ids, lease);
  }

  @Override
  public boolean succeed(
      String id, int attempt, String responseType, byte[] response, Duration resultTtl) {
    return store.succeed(id, attempt, responseType, response, resultTtl);
  }

  @Override
  public boolean fail(String id, int attempt, String reason, Duration resultTtl) {
    return store.fail(id, attempt, reason, resultTtl);
  }

  @Override
  public boolean release(String id, int attempt) {
    return store.release(id, attempt);
  }

  @Override
  public boolean cancel(String id, Duration resultTtl) {
    return store.cancel(id, resultTtl);
  }

  @Override
  public Optional<AsyncRecord> find(String id) {
    return store.find(id);
  }

  @Override
  public Set<String> finishedAmong(Collection<String> ids) {
    return store.finishedAmong(ids);
  }

  @Override
  public Map<String, Long> backlog() {
    return store.backlog();
  }

  @Override
  public Map<String, Long> pending() {
    return store.pending();
  }

  @Override
  public int purgeExpired() {
    return store.purgeExpired();
  }
}
