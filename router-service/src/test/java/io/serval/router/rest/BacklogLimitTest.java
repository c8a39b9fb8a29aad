package io.serval.router.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.router.queue.FakeTicker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BacklogLimitTest {
  private final FakeTicker ticker = new FakeTicker();
  private final AtomicReference<Map<String, Long>> stored = new AtomicReference<>(Map.of());
  private final AtomicInteger reads = new AtomicInteger();
  private final BacklogLimit limit =
      new BacklogLimit(
          () -> {
            reads.incrementAndGet();
            return stored.get();
          },
          3,
          ticker,
          Duration.ofSeconds(1));

  @Test
  void countsAcceptedRequestsBetweenReadsOfTheStore() {
    stored.set(Map.of("a", 1L));
    assertThat(limit.tryAccept("a")).isTrue();
    assertThat(limit.tryAccept("a")).isTrue();
    assertThat(limit.tryAccept("a")).isFalse();
    assertThat(limit.tryAccept("b")).isTrue();
    assertThat(reads).hasValue(1);
  }

  @Test
  void rereadsTheStoreAfterTheRefreshInterval() {
    stored.set(Map.of("a", 3L));
    assertThat(limit.tryAccept("a")).isFalse();
    stored.set(Map.of("a", 2L));
    ticker.advance(Duration.ofMillis(999));
    assertThat(limit.tryAccept("a")).isFalse();
    ticker.advance(Duration.ofMillis(1));
    assertThat(limit.tryAccept("a")).isTrue();
    assertThat(reads).hasValue(2);
  }
}
