package io.serval.it.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills process trees and finds orphans. Everything the suite starts is registered here, and a JVM
 * shutdown hook kills what is still alive as a last resort (a test that fails or hangs must not
 * leave JVMs behind). Predictor replicas are children of the operator only while it lives: after
 * the operator is SIGKILLed they are re-parented, so they are also found by a marker (the suite's
 * temp directory) on their command line.
 */
public final class ProcessTree {

  private static final Set<ProcessHandle> TRACKED = ConcurrentHashMap.newKeySet();
  private static final Set<String> MARKERS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("serval-it-cleanup")
                .unstarted(
                    () -> {
                      TRACKED.forEach(p -> killTree(p));
                      MARKERS.forEach(m -> matching(m).forEach(ProcessHandle::destroyForcibly));
                    }));
  }

  private ProcessTree() {}

  /** Remembers a started process for the shutdown hook. */
  public static void track(ProcessHandle process) {
    TRACKED.add(process);
  }

  /** Remembers a command-line marker: processes carrying it are killed by the shutdown hook. */
  public static void trackMarker(String marker) {
    MARKERS.add(marker);
  }

  public static void forgetMarker(String marker) {
    MARKERS.remove(marker);
  }

  /** SIGKILL of the process and all its descendants (collected first, so none is re-parented). */
  public static void killTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
    all.add(root);
    all.forEach(ProcessHandle::destroyForcibly);
    awaitExit(all, Duration.ofSeconds(10));
    TRACKED.remove(root);
  }

  /** Live processes (other than this JVM) whose command line contains the marker. */
  public static List<ProcessHandle> matching(String marker) {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self && p.isAlive())
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  /** Waits (bounded) for the processes to exit; returns those still alive. */
  public static List<ProcessHandle> awaitExit(List<ProcessHandle> processes, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    for (ProcessHandle p : processes) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // still alive: reported below
      }
    }
    return processes.stream().filter(ProcessHandle::isAlive).toList();
  }

  public static String describe(List<ProcessHandle> processes) {
    return processes.stream()
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .map(s -> s.length() > 300 ? s.substring(0, 300) + "..." : s)
        .toList()
        .toString();
  }
}
