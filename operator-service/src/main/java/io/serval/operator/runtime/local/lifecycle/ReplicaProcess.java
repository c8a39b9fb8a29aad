package io.serval.operator.runtime.local.lifecycle;

import java.time.Duration;
import java.time.Instant;

/**
 * The running process of one replica as the lifecycle sees it: an OS process in the local runtime,
 * a fake in tests. Its identity matters: a probe answer about another process of the same replica
 * (one that has since been restarted) is ignored.
 */
public interface ReplicaProcess {

  long pid();

  /** When the process started; with the pid it tells a re-adopted process from a recycled pid. */
  Instant startedAt();

  boolean alive();

  /**
   * How the process ended, for the replica's status: "died of SIGFPE (exit 134)", "exited with code
   * 3", or "exited" where the exit code cannot be read. Asked once, after it is no longer alive.
   */
  String exitDescription();

  /** Asks the process to stop (SIGTERM). */
  void terminate();

  /** Ends the process (SIGKILL). */
  void kill();

  /**
   * Waits up to {@code timeout} for the process to end.
   *
   * @return true when it has ended
   */
  boolean awaitExit(Duration timeout);
}
