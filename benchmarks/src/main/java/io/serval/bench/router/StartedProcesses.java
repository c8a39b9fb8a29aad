package io.serval.bench.router;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a harness started, stopped in reverse order: at the end of the run, and by the shutdown hook
 * if the run is interrupted (hence synchronized).
 */
public final class StartedProcesses {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  public synchronized <T extends AutoCloseable> T track(T child) {
    started.push(child);
    return child;
  }

  public synchronized void stopAll() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("WARN stopping a child process: " + e.getMessage());
      }
    }
  }
}
