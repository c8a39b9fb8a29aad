package io.serval.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void countsTheCpuThisProcessSpends() {
    long self = ProcessHandle.current().pid();
    assumeThat(Files.isDirectory(Path.of("/proc", Long.toString(self), "task"))).isTrue();
    Map<Long, Long> before = ProcessCpu.threadNanos(self);
    long spent = spin(50_000_000L);
    Map<Long, Long> after = ProcessCpu.threadNanos(self);
    assertThat(before.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    // At least most of the spin: the scheduler's clock and the thread's may differ a little.
    assertThat(ProcessCpu.nanosBetween(before, after)).isGreaterThan(spent / 2);
  }

  @Test
  void countsTheVoluntarySwitchesOfTheNamedThreads() throws Exception {
    long self = ProcessHandle.current().pid();
    assumeThat(Files.isDirectory(Path.of("/proc", Long.toString(self), "task"))).isTrue();
    int steps = 20;
    List<CountDownLatch> go = new ArrayList<>();
    for (int i = 0; i <= steps; i++) {
      go.add(new CountDownLatch(1));
    }
    Thread probe =
        Thread.ofPlatform()
            .name("switch-probe")
            .start(
                () -> {
                  try {
                    for (CountDownLatch latch : go) {
                      latch.await();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      awaitParked(probe);
      Map<Long, Long> before = ProcessCpu.voluntarySwitches(self, "switch-probe");
      for (int i = 0; i < steps; i++) {
        go.get(i).countDown(); // wakes the parked probe, which parks again on the next latch
        awaitParked(probe);
      }
      Map<Long, Long> after = ProcessCpu.voluntarySwitches(self, "switch-probe");
      assertThat(before).hasSize(1);
      assertThat(ProcessCpu.nanosBetween(before, after)).isGreaterThanOrEqualTo(steps);
      assertThat(ProcessCpu.voluntarySwitches(self, "no-such-thread")).isEmpty();
    } finally {
      go.getLast().countDown();
      probe.join(10_000);
    }
  }

  private static void awaitParked(Thread t) {
    await().atMost(Duration.ofSeconds(10)).until(() -> t.getState() == Thread.State.WAITING);
  }

  @Test
  void answersMinusOneForAProcessThatDoesNotExist() {
    assertThat(ProcessCpu.threadNanos(Long.MAX_VALUE)).isNull();
    assertThat(ProcessCpu.nanosBetween(null, Map.of(1L, 5L))).isEqualTo(-1);
  }

  @Test
  void aThreadThatEndedBetweenReadingsIsLeftOutNotSubtracted() {
    // thread 2 ended after running 9 s; thread 3 started; thread 1 ran 1 ms more
    assertThat(
            ProcessCpu.nanosBetween(
                Map.of(1L, 5_000_000L, 2L, 9_000_000_000L), Map.of(1L, 6_000_000L, 3L, 2_000_000L)))
        .isEqualTo(3_000_000L);
  }

  @Test
  void dividesByRequestsAndRefusesUnknownReadings() {
    assertThat(ProcessCpu.microsPerRequest(4_000_000, 4)).isEqualTo(1000.0);
    assertThat(ProcessCpu.microsPerRequest(-1, 4)).isNaN();
    assertThat(ProcessCpu.microsPerRequest(5_000_000, 0)).isNaN();
  }

  /** Busy for about {@code nanos} of this thread's CPU time; returns the CPU time used. */
  private static long spin(long nanos) {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    long start = bean.getCurrentThreadCpuTime();
    long x = 0;
    while (bean.getCurrentThreadCpuTime() - start < nanos) {
      for (int i = 0; i < 10_000; i++) {
        x += i * 31L ^ x;
      }
    }
    assertThat(x).isNotEqualTo(42);
    return bean.getCurrentThreadCpuTime() - start;
  }
}
