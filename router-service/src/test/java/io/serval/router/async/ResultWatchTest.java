package io.serval.router.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.router.queue.Ticker;
import io.serval.store.AsyncRecord;
import io.serval.store.AsyncStore;
import io.serval.store.ClaimTerms;
import io.serval.store.ClaimedRequest;
import io.serval.store.NewAsyncRequest;
import io.serval.store.jdbc.JdbcAsyncStore;
import io.serval.store.jdbc.SqliteStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held result requests over time: results written by another router, and waits that end. */
class ResultWatchTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private static AsyncStore store(Path dir) {
    return JdbcAsyncStore.open(
        SqliteStores.file(dir.resolve("s.db"), Duration.ofSeconds(5)), Clock.systemUTC());
  }

  @Test
  void aResultAnotherRouterWroteReachesAHeldClientWithoutANotification(@TempDir Path dir) {
    AsyncStore store = store(dir);
    store.submit(new NewAsyncRequest("id-1", "a", "application/x-test", "", new byte[] {1}));
    try (ResultWatch watch =
        new ResultWatch(new ResultWaiters(10, Ticker.system()), store, Duration.ofMillis(20))) {
      watch.start();
      CompletableFuture<Optional<AsyncRecord>> held = watch.hold("id-1", HOUR).orElseThrow();
      CompletableFuture<Optional<AsyncRecord>> other = watch.hold("id-2", HOUR).orElseThrow();

      // Another router's pump, on the shared store: nobody tells this router.
      ClaimedRequest c =
          store.claim("a", "router-b/1", new ClaimTerms(HOUR, 1, 3, HOUR)).getFirst();
      store.succeed(c.id(), c.attempt(), "application/json", new byte[] {'{', '}'}, HOUR);

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(held::isDone);
      assertThat(held.join()).as("read the store: nothing handed").isEmpty();
      assertThat(other).isNotDone();
    }
  }

  @Test
  void aHeldClientIsLetGoWhenItsWaitIsOver(@TempDir Path dir) {
    AsyncStore store = store(dir);
    try (ResultWatch watch = new ResultWatch(new ResultWaiters(10, Ticker.system()), store, HOUR)) {
      watch.start();
      CompletableFuture<Optional<AsyncRecord>> held =
          watch.hold("id-1", Duration.ofMillis(300)).orElseThrow();
      CompletableFuture<Optional<AsyncRecord>> longer = watch.hold("id-1", HOUR).orElseThrow();

      Awaitility.await()
          .atLeast(Duration.ofMillis(250))
          .atMost(Duration.ofSeconds(10))
          .until(held::isDone);
      assertThat(held.join()).isEmpty();
      assertThat(longer).isNotDone();
    }
  }
}
