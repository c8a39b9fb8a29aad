package io.serval.cli.batch;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Reads a job every interval and shows each reading until the job has finished. A router that
 * cannot be reached for a while (a restart: the job survives it) is waited for up to patience
 * before following gives up.
 */
public final class JobFollower {

  /** Waits between readings; tests pass one that does not sleep. */
  public interface Pause {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Supplier<JobState> read;
  private final ProgressDisplay display;
  private final Duration interval;
  private final Duration patience;
  private final Clock clock;
  private final Pause pause;

  public JobFollower(
      Supplier<JobState> read,
      ProgressDisplay display,
      Duration interval,
      Duration patience,
      Clock clock,
      Pause pause) {
    this.read = read;
    this.display = display;
    this.interval = interval;
    this.patience = patience;
    this.clock = clock;
    this.pause = pause;
  }

  /**
   * @return the finished job
   * @throws CliException when the router stays unreachable past patience, or refuses a reading
   * @throws InterruptedException when interrupted: the job is left running
   */
  public JobState follow() throws InterruptedException {
    Instant unreachableSince = null;
    try {
      while (true) {
        JobState s;
        try {
          s = read.get();
          unreachableSince = null;
        } catch (CliException e) {
          if (e.exitCode() != ExitCode.UNREACHABLE) {
            throw e;
          }
          Instant now = clock.instant();
          if (unreachableSince == null) {
            unreachableSince = now;
          }
          if (!now.isBefore(unreachableSince.plus(patience))) {
            throw e;
          }
          pause.sleep(interval);
          continue;
        }
        display.show(s);
        if (s.status().finished()) {
          return s;
        }
        pause.sleep(interval);
      }
    } finally {
      display.finish();
    }
  }
}
