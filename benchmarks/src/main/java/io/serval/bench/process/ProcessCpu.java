package io.serval.bench.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time a process spends on its own work: the time its threads ran, as Linux's scheduler counts
 * it ({@code /proc/PID/task/TID/schedstat}, nanoseconds), leaving out the JVM's JIT compiler
 * threads. On a shared machine, throughput mostly measures the neighbours and a young JVM spends
 * much of its CPU compiling; CPU per request on the threads that serve requests is what the code
 * under test controls, so each point reports it next to throughput.
 */
public final class ProcessCpu {
  /**
   * Thread names of the JIT compilers (cut to 15 characters by Linux). GC threads stay in: the
   * garbage a request leaves is part of its cost.
   */
  private static final List<String> JIT_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");

  private ProcessCpu() {}

  /**
   * Nanoseconds each live thread (JIT aside) has run, by thread id; null where /proc cannot say.
   */
  public static Map<Long, Long> threadNanos(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    Map<Long, Long> out = new HashMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          if (JIT_THREADS.stream().anyMatch(name::startsWith)) {
            continue;
          }
          String sched = Files.readString(task.resolve("schedstat")).strip();
          out.put(
              Long.parseLong(task.getFileName().toString()),
              Long.parseLong(sched.substring(0, sched.indexOf(' '))));
        } catch (IOException | RuntimeException threadEnded) {
          // a thread that ended between listing and reading has nothing more to add
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return out;
  }

  /**
   * Voluntary context switches (the thread blocked: waited for work, a lock or I/O) of each live
   * thread whose name starts with {@code namePrefix}, by thread id; null where /proc cannot say.
   * For the predictor's {@code serval-worker} threads, switches per request count the hand-offs
   * between the event loop, the batcher and the workers: a figure the neighbours' load hardly
   * moves, unlike time.
   */
  public static Map<Long, Long> voluntarySwitches(long pid, String namePrefix) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    Map<Long, Long> out = new HashMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        try {
          if (!Files.readString(task.resolve("comm")).strip().startsWith(namePrefix)) {
            continue;
          }
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              out.put(
                  Long.parseLong(task.getFileName().toString()),
                  Long.parseLong(line.substring(line.indexOf(':') + 1).strip()));
            }
          }
        } catch (IOException | RuntimeException threadEnded) {
          // as in threadNanos
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return out;
  }

  /**
   * Nanoseconds run between two readings by the threads alive at the second, or -1 when either is
   * unknown. A thread that ended in between is left out rather than subtracted: summing only the
   * live threads at each reading went negative when a thread with more CPU than the window ended.
   */
  public static long nanosBetween(Map<Long, Long> before, Map<Long, Long> after) {
    if (before == null || after == null) {
      return -1;
    }
    long total = 0;
    for (Map.Entry<Long, Long> t : after.entrySet()) {
      total += t.getValue() - before.getOrDefault(t.getKey(), 0L);
    }
    return total;
  }

  /** Microseconds of CPU per request, or NaN when unknown. */
  public static double microsPerRequest(long nanos, long requests) {
    if (nanos < 0 || requests <= 0) {
      return Double.NaN;
    }
    return nanos / 1000.0 / requests;
  }
}
