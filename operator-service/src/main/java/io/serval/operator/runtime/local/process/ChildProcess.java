package io.serval.operator.runtime.local.process;

import io.serval.operator.runtime.local.lifecycle.ReplicaProcess;
import io.serval.operator.runtime.local.logs.ReplicaLogs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A replica's OS process: one this operator started (its exit code readable) or one re-adopted from
 * a previous operator (only its handle known).
 */
public final class ChildProcess implements ReplicaProcess {

  private final ProcessHandle handle;

  /** Set for processes this operator started (adopted ones have no exit code to read). */
  private final Process child;

  private final Instant startedAt;
  private final Path log;

  private ChildProcess(ProcessHandle handle, Process child, Instant startedAt, Path log) {
    this.handle = handle;
    this.child = child;
    this.startedAt = startedAt;
    this.log = log;
  }

  static ChildProcess started(Process p, Instant now, Path log) {
    ProcessHandle h = p.toHandle();
    return new ChildProcess(h, p, h.info().startInstant().orElse(now), log);
  }

  /**
   * @param startedAt the start instant recorded when it was launched
   * @param log its output, where a fatal-error report would be
   */
  public static ChildProcess adopted(ProcessHandle handle, Instant startedAt, Path log) {
    return new ChildProcess(handle, null, startedAt, log);
  }

  @Override
  public long pid() {
    return handle.pid();
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public boolean alive() {
    return handle.isAlive();
  }

  @Override
  public String exitDescription() {
    Optional<Integer> code =
        child != null && !child.isAlive() ? Optional.of(child.exitValue()) : Optional.empty();
    // The end of its output holds a JVM fatal-error report when native code killed it.
    return ExitSignal.describe(code, ReplicaLogs.lastRun(log));
  }

  @Override
  public void terminate() {
    handle.destroy();
  }

  @Override
  public void kill() {
    handle.destroyForcibly();
  }

  @Override
  public boolean awaitExit(Duration timeout) {
    try {
      handle.onExit().get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
