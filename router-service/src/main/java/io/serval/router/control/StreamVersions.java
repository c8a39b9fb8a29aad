package io.serval.router.control;

/**
 * Which snapshots of one watch stream replace the route table: the first always (a full snapshot of
 * the operator's current state, however it numbers it), then only higher versions. Versions are
 * compared within a stream only: an operator that restarted with an empty state directory, or
 * another operator replica, may number from anywhere, and its snapshot still wins.
 */
final class StreamVersions {

  private boolean seen;
  private long last;

  /** Whether the snapshot with this version replaces the table; remembers it if so. */
  synchronized boolean accept(long version) {
    if (seen && version <= last) {
      return false;
    }
    seen = true;
    last = version;
    return true;
  }

  synchronized long last() {
    return last;
  }
}
