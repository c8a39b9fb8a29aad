package io.serval.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void countsTheCpuThisProcessSpends() {
    long self = ProcessHandle.current().pid();
    assumeThat(Files.isDirectory(Path.of("/proc", Long.toString(self), "task"))).isTrue();
    long before = ProcessCpu.appNanos(self);
    long spent = spin(50_000_000L);
    long after = ProcessCpu.appNanos(self);
    assertThat(before).isPositive();
    // At least most of the spin: the scheduler's clock and the thread's may differ a little.
    assertThat(after - before).isGreaterThan(spent / 2);
  }

  @Test
  void answersMinusOneForAProcessThatDoesNotExist() {
    assertThat(ProcessCpu.appNanos(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void dividesByRequestsAndRefusesUnknownReadings() {
    assertThat(ProcessCpu.microsPerRequest(1_000_000, 5_000_000, 4)).isEqualTo(1000.0);
    assertThat(ProcessCpu.microsPerRequest(-1, 5_000_000, 4)).isNaN();
    assertThat(ProcessCpu.microsPerRequest(0, 5_000_000, 0)).isNaN();
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
