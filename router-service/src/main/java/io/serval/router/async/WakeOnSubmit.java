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

/**
 * The store as the intake sees it: once a request is stored (committed), {@code onSubmitted} runs,
 * so that this router's pump claims it at once rather than at its next poll. Requests stored by
 * other routers (PostgreSQL) still wait for a poll; they are not this router's to hurry.
 */
public final class WakeOnSubmit implements AsyncStore {
  private final AsyncStore store;
  private final Runnable onSubmitted;

  public WakeOnSubmit(AsyncStore store, Runnable onSubmitted) {
    this.store = store;
    this.onSubmitted = onSubmitted;
  }

  @Override
  public void submit(NewAsyncRequest request) {
    store.submit(request);
    onSubmitted.run();
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
