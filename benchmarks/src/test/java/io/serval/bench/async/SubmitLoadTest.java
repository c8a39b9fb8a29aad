package io.serval.bench.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubmitLoadTest {
  @Test
  void countsCompletedOperationsOnEveryThreadUpToTheBound() throws Exception {
    AtomicLong calls = new AtomicLong();
    Set<Integer> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch allStarted = new CountDownLatch(3);
    SubmitLoad.Result r =
        SubmitLoad.run(
            3,
            Duration.ofSeconds(30),
            300,
            t -> {
              if (threads.add(t)) {
                allStarted.countDown();
              }
              // no thread finishes its first call before all three have made one
              assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
              calls.incrementAndGet();
            });
    assertThat(r.ops()).isEqualTo(300).isEqualTo(calls.get());
    assertThat(r.errors()).isZero();
    assertThat(r.firstError()).isNull();
    assertThat(threads).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(r.perSecond()).isPositive();
  }

  @Test
  void failuresAreCountedApartWithTheFirstReason() throws Exception {
    AtomicLong calls = new AtomicLong();
    SubmitLoad.Result r =
        SubmitLoad.run(
            1,
            Duration.ofSeconds(30),
            10,
            t -> {
              if (calls.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("refused");
              }
            });
    assertThat(r.ops()).isEqualTo(5);
    assertThat(r.errors()).isEqualTo(5);
    assertThat(r.firstError()).contains("refused");
  }

  @Test
  void stopsWhenTheTimeIsUp() throws Exception {
    SubmitLoad.Result r = SubmitLoad.run(2, Duration.ofMillis(200), Long.MAX_VALUE, t -> {});
    assertThat(r.seconds()).isBetween(0.2, 20.0);
    assertThat(r.ops()).isPositive();
  }
}
