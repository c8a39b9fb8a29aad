package io.serval.bench.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time a process has spent on its own work: the sum over its threads of the time they ran, as
 * Linux's scheduler counts it ({@code /proc/PID/task/TID/schedstat}, nanoseconds), leaving out the
 * JVM's JIT compiler threads. On a shared machine, throughput mostly measures the neighbours and a
 * young JVM spends much of its CPU compiling; CPU per request on the threads that serve requests is
 * what the code under test controls, so each point reports it next to throughput.
 */
public final class ProcessCpu {
  /**
   * Thread names of the JIT compilers (cut to 15 characters by Linux). GC threads stay in: the
   * garbage a request leaves is part of its cost.
   */
  private static final List<String> JIT_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");

  private ProcessCpu() {}

  /** Nanoseconds its threads (alive now, JIT aside) have run, or -1 where /proc cannot say. */
  public static long appNanos(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long total = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          if (JIT_THREADS.stream().anyMatch(name::startsWith)) {
            continue;
          }
          String sched = Files.readString(task.resolve("schedstat")).strip();
          total += Long.parseLong(sched.substring(0, sched.indexOf(' ')));
        } catch (IOException | RuntimeException threadEnded) {
          // a thread that ended between listing and reading has nothing more to add
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return total;
  }

  /** Microseconds of CPU per request between two readings, or NaN when unknown. */
  public static double microsPerRequest(long before, long after, long requests) {
    if (before < 0 || after < 0 || requests <= 0) {
      return Double.NaN;
    }
    return (after - before) / 1000.0 / requests;
  }
}
