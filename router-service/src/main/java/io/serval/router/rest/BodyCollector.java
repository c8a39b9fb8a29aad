package io.serval.router.rest;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body as it arrives, on one event loop. Memory follows the bytes received, never the
 * Content-Length a client declares: the chunks Vert.x delivers (each a heap copy of its own) are
 * kept as they are, and joined into one array only by {@link #bytes()}, which the router calls on a
 * codec thread for large bodies, so that the event loop never copies or zeroes a large array. Every
 * byte kept is reserved in the shared {@link BodyBudget} until {@link #release()}.
 */
final class BodyCollector {
  /** What an append led to. */
  enum State {
    READING,
    /** Past the size limit: the rest is counted and dropped. */
    TOO_LARGE,
    /** The budget had no room for the chunk: nothing is kept. */
    OVER_BUDGET
  }

  private final long max;
  private final BodyBudget budget;

  /** The first chunk: every small body is one. */
  private Buffer first;

  private List<Buffer> rest;
  private long size;
  private long held;
  private long reserved;
  private State state = State.READING;

  /**
   * @param max the size limit
   */
  BodyCollector(long max, BodyBudget budget) {
    this.max = max;
    this.budget = budget;
  }

  State append(Buffer chunk) {
    int n = chunk.length();
    size += n;
    if (state != State.READING) {
      return state;
    }
    if (size > max) {
      drop(State.TOO_LARGE);
      return state;
    }
    if (!budget.tryReserve(n)) {
      drop(State.OVER_BUDGET);
      return state;
    }
    reserved += n;
    held += n;
    if (first == null) {
      first = chunk;
    } else {
      if (rest == null) {
        rest = new ArrayList<>();
      }
      rest.add(chunk);
    }
    return state;
  }

  private void drop(State why) {
    state = why;
    first = null;
    rest = null;
    held = 0;
    release();
  }

  State state() {
    return state;
  }

  /** Bytes received so far, kept or not. */
  long size() {
    return size;
  }

  /** Body bytes held in memory now: what a declared length cannot inflate. */
  long held() {
    return held;
  }

  /** The body in one array of its exact size; only while {@link State#READING}. */
  byte[] bytes() {
    byte[] out = new byte[(int) held];
    int at = 0;
    if (first != null) {
      first.getBytes(0, first.length(), out, at);
      at += first.length();
    }
    if (rest != null) {
      for (Buffer b : rest) {
        b.getBytes(0, b.length(), out, at);
        at += b.length();
      }
    }
    return out;
  }

  /** Gives the reservation back; idempotent, so every end of a request may call it. */
  void release() {
    long r = reserved;
    reserved = 0;
    if (r > 0) {
      budget.release(r);
    }
  }
}
