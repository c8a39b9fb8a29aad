package io.serval.cli.platform;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Finding and stopping the processes of a local platform by pid. */
public final class Processes {

  private Processes() {}

  /** The live process with this pid that started at processStart (not a recycled pid). */
  public static Optional<ProcessHandle> find(long pid, String processStart) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> processStart == null || sameStart(h, processStart));
  }

  private static boolean sameStart(ProcessHandle h, String processStart) {
    try {
      java.time.Instant expected = java.time.Instant.parse(processStart);
      return h.info().startInstant().map(expected::equals).orElse(true);
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  public static String startOf(ProcessHandle h) {
    return h.info().startInstant().map(Object::toString).orElse(null);
  }

  /**
   * SIGTERM, then SIGKILL when it has not exited after grace.
   *
   * @return true if it exited on its own within the grace period
   */
  public static boolean stop(ProcessHandle h, Duration grace) {
    if (!h.isAlive()) {
      return true;
    }
    h.destroy();
    if (awaitExit(h, grace)) {
      return true;
    }
    h.destroyForcibly();
    awaitExit(h, Duration.ofSeconds(5));
    return false;
  }

  public static boolean awaitExit(ProcessHandle h, Duration max) {
    try {
      h.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !h.isAlive();
    } catch (ExecutionException e) {
      return !h.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !h.isAlive();
    }
  }
}
