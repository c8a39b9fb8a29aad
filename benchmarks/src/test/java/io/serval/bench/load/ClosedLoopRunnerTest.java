package io.serval.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClosedLoopRunnerTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /** Completes on another thread and tracks how many calls are outstanding at once. */
  private final class CountingTarget implements Target {
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicInteger maxOutstanding = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final boolean fail;

    CountingTarget(boolean fail) {
      this.fail = fail;
    }

    @Override
    public CompletableFuture<?> call() {
      calls.incrementAndGet();
      maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      return CompletableFuture.runAsync(
          () -> {
            outstanding.decrementAndGet();
            if (fail) {
              throw new IllegalStateException("boom");
            }
          },
          executor);
    }

    @Override
    public void close() {}
  }

  @Test
  void keepsConcurrencyOutstandingAndCountsSuccesses() throws Exception {
    CountingTarget target = new CountingTarget(false);
    LoadResult result =
        new ClosedLoopRunner()
            .run(target, 3, Duration.ofMillis(20), Duration.ofMillis(200), 1_000_000);
    assertThat(target.maxOutstanding.get()).isBetween(1, 3);
    assertThat(result.requests()).isPositive().isLessThanOrEqualTo(target.calls.get());
    assertThat(result.errors()).isZero();
    assertThat(result.throughput()).isPositive();
    assertThat(result.p99Micros()).isGreaterThanOrEqualTo(result.p50Micros());
    assertThat(result.firstError()).isNull();
  }

  @Test
  void stopsAtTheRequestBound() throws Exception {
    CountingTarget target = new CountingTarget(false);
    LoadResult result =
        new ClosedLoopRunner().run(target, 2, Duration.ZERO, Duration.ofSeconds(30), 50);
    assertThat(result.requests()).isEqualTo(50);
  }

  @Test
  void countsFailuresWithTheFirstMessage() throws Exception {
    CountingTarget target = new CountingTarget(true);
    LoadResult result =
        new ClosedLoopRunner().run(target, 2, Duration.ZERO, Duration.ofSeconds(30), 200);
    assertThat(result.requests()).isZero();
    assertThat(result.errors()).isEqualTo(200);
    assertThat(result.firstError()).contains("IllegalStateException: boom");
  }

  @Test
  void survivesTargetsThatFailSynchronously() throws Exception {
    Target throwing =
        new Target() {
          @Override
          public CompletableFuture<?> call() {
            throw new IllegalArgumentException("refused");
          }

          @Override
          public void close() {}
        };
    LoadResult result =
        new ClosedLoopRunner().run(throwing, 1, Duration.ZERO, Duration.ofSeconds(30), 1_000);
    assertThat(result.errors()).isEqualTo(1_000);
    assertThat(result.firstError()).contains("refused");
  }

  @Test
  void warmUpRequestsAreNotRecorded() throws Exception {
    long[] now = {0};
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    // Each call advances a fake clock by 1 ms: 10 calls of warm-up, then 5 measured.
    Target ticking =
        new Target() {
          @Override
          public CompletableFuture<?> call() {
            now[0] += 1_000_000;
            return done;
          }

          @Override
          public void close() {}
        };
    LoadResult result =
        new ClosedLoopRunner(() -> now[0])
            .run(ticking, 1, Duration.ofMillis(10), Duration.ofMillis(5), 1_000);
    assertThat(result.requests()).isEqualTo(5);
    assertThat(result.p50Micros()).isCloseTo(1000, org.assertj.core.data.Offset.offset(1.0));
    assertThat(result.throughput()).isCloseTo(1000, org.assertj.core.data.Offset.offset(1.0));
  }
}
