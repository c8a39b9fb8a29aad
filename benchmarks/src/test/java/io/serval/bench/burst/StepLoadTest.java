package io.serval.bench.burst;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.bench.load.Target;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StepLoadTest {
  private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    answers.shutdownNow();
  }

  /** Answers each call 2 ms later; counts the calls outstanding before and after the step. */
  final class CountingTarget implements Target {
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicInteger mostBeforeStep = new AtomicInteger();
    final AtomicInteger mostAfterStep = new AtomicInteger();
    final AtomicBoolean stepped = new AtomicBoolean();
    volatile boolean fail;

    @Override
    public CompletableFuture<?> call() {
      int now = outstanding.incrementAndGet();
      (stepped.get() ? mostAfterStep : mostBeforeStep).accumulateAndGet(now, Math::max);
      CompletableFuture<Void> answer = new CompletableFuture<>();
      answers.schedule(
          () -> {
            outstanding.decrementAndGet();
            if (fail) {
              answer.completeExceptionally(new IllegalStateException("HTTP 503"));
            } else {
              answer.complete(null);
            }
          },
          2,
          TimeUnit.MILLISECONDS);
      return answer;
    }

    @Override
    public void close() {}
  }

  @Test
  void stepsFromBeforeToAfterCallersAndEndsOnceItHasSeenEnough() throws Exception {
    CountingTarget target = new CountingTarget();
    StepLoad load = new StepLoad(target);
    AtomicBoolean enough = new AtomicBoolean();
    long t0 = System.nanoTime();

    StepLoad.Run run =
        load.run(
            2,
            8,
            Duration.ofMillis(300),
            Duration.ofMillis(100),
            Duration.ofSeconds(20),
            enough::get,
            () -> {
              target.stepped.set(true);
              // what the harness waits for (a new replica's first answer) comes 400 ms later
              answers.schedule(() -> enough.set(true), 400, TimeUnit.MILLISECONDS);
            });

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    assertThat(target.mostBeforeStep.get()).isEqualTo(2);
    assertThat(target.mostAfterStep.get()).isEqualTo(8);
    assertThat(run.stepAtMillis() - run.startMillis()).isGreaterThanOrEqualTo(300);
    // past the shortest burst (100 ms): it went on until "enough", not to the longest (20 s)
    assertThat(run.endMillis() - run.stepAtMillis()).isGreaterThanOrEqualTo(400);
    assertThat(load.records()).isNotEmpty().allMatch(RequestRecord::ok);
    assertThat(load.firstError()).isNull();
    assertThat(target.outstanding.get()).isZero();
  }

  @Test
  void recordsFailuresAndKeepsAFailingCallerFromSpinning() throws Exception {
    CountingTarget target = new CountingTarget();
    target.fail = true;
    StepLoad load = new StepLoad(target);

    load.run(
        1,
        2,
        Duration.ofMillis(100),
        Duration.ofMillis(300),
        Duration.ofMillis(300),
        () -> false,
        () -> {});

    assertThat(load.records()).isNotEmpty().noneMatch(RequestRecord::ok);
    assertThat(load.firstError()).contains("HTTP 503");
    // Each failure waits 20 ms: in 0.4 s of 1 then 2 callers, far fewer than the 2 ms answers
    // would allow without the pause.
    assertThat(load.records()).hasSizeLessThan(60);
  }
}
