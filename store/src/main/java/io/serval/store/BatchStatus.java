package io.serval.store;

import java.util.Locale;

/** Where a batch job is in its life; the lower-case names are the ones its REST form reports. */
public enum BatchStatus {
  /** Accepted, its input not yet read through (no items counted, no chunks planned). */
  PENDING,
  /** Its input was read and cut into chunks; items run. */
  RUNNING,
  /** Every item has an outcome and the output files are written (some items may have failed). */
  SUCCEEDED,
  /**
   * The job itself could not run (unreadable input, unwritable output, API gone), with a reason.
   */
  FAILED,
  /** Cancelled while pending or running: no new item starts; finished chunks are still written. */
  CANCELLED;

  /** Whether the job takes no more work (its files may still be written, when cancelled). */
  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** The name the REST form uses. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
