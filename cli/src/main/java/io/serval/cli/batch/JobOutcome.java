package io.serval.cli.batch;

import io.serval.cli.exit.ExitCode;

/** What a finished job means for the CLI's exit code, and its one-line summary. */
public final class JobOutcome {

  private JobOutcome() {}

  /**
   * 0 when every item succeeded, {@link ExitCode#ITEMS_FAILED} when the job ran through and some
   * items failed, {@link ExitCode#FAILED} when the job itself failed or was cancelled; 0 for an
   * unfinished one.
   */
  public static int exitCode(JobState s) {
    return switch (s.status()) {
      case SUCCEEDED -> s.failed() == 0 ? ExitCode.OK : ExitCode.ITEMS_FAILED;
      case FAILED, CANCELLED -> ExitCode.FAILED;
      default -> ExitCode.OK;
    };
  }

  /** "job ID succeeded: 10000 items, 9900 succeeded, 100 failed" and the like. */
  public static String summary(JobState s) {
    String items =
        (s.total() == null ? s.done() + " items done" : s.done() + "/" + s.total() + " items done")
            + ", "
            + s.succeeded()
            + " succeeded, "
            + s.failed()
            + " failed";
    String line = "job " + s.id() + " " + s.statusText() + ": " + items;
    if (s.error() != null && !s.error().isBlank()) {
      line += " (" + s.error() + ")";
    }
    return line;
  }
}
