package io.serval.cli.batch;

import java.util.Locale;

/** A batch job's status, as the router's {@code /v1/jobs} answers name it. */
public enum JobStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  /** A status this CLI does not know (a newer router): shown as is, followed as unfinished. */
  UNKNOWN;

  /** The status named in the router's JSON; UNKNOWN for anything else. */
  public static JobStatus of(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      return UNKNOWN;
    }
  }

  /** Whether the job will not change any more. */
  public boolean finished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
