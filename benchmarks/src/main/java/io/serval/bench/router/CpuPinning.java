package io.serval.bench.router;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pins processes to CPUs with taskset: every thread of a process and of its children (nginx's
 * workers). Threads and processes started afterwards inherit the CPUs of whoever starts them.
 */
final class CpuPinning {
  private CpuPinning() {}

  /** Pins {@code pid}, its threads and its descendants to {@code cpus} (taskset's list form). */
  static void pin(long pid, String cpus) throws IOException, InterruptedException {
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    for (long p : pids) {
      Process taskset =
          new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(p))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
        taskset.destroyForcibly();
        throw new IOException("taskset -a -p -c " + cpus + " " + p + " failed");
      }
    }
  }
}
