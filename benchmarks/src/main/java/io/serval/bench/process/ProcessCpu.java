package io.serval.bench.process;

import java.util.Optional;

/**
 * CPU time used so far by a process (all its threads, user and system), as the OS counts it. On a
 * shared machine, throughput mostly measures the neighbours; CPU per request is what a server
 * controls, so each point reports both.
 */
public final class ProcessCpu {
  private ProcessCpu() {}

  /** CPU nanoseconds used by the process so far, or -1 when the OS does not say. */
  public static long nanos(ProcessHandle process) {
    Optional<java.time.Duration> cpu = process.info().totalCpuDuration();
    return cpu.map(java.time.Duration::toNanos).orElse(-1L);
  }

  /** Microseconds of CPU per request between two readings, or NaN when unknown. */
  public static double microsPerRequest(long before, long after, long requests) {
    if (before < 0 || after < 0 || requests <= 0) {
      return Double.NaN;
    }
    return (after - before) / 1000.0 / requests;
  }
}
