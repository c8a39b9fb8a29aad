package io.serval.router.rest;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * A request body as it arrives, on one event loop. Memory follows the bytes received, never the
 * Content-Length a client declares: the array starts at the first chunk and doubles as bytes come,
 * capped by the declared length (so a truthful body ends in an array of its exact size, with no
 * final copy) and by the size limit. Every byte kept is reserved in the shared {@link BodyBudget}
 * until {@link #release()}.
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

  private static final byte[] EMPTY = new byte[0];

  /** The first array for a body of unknown or large size; small bodies get their exact size. */
  static final int FIRST_CAPACITY = 16 * 1024;

  private final long max;
  private final long declared;
  private final BodyBudget budget;
  private byte[] bytes = EMPTY;
  private long size;
  private long reserved;
  private State state = State.READING;

  /**
   * @param declared the Content-Length, or -1 when the body is chunked
   * @param max the size limit
   */
  BodyCollector(long declared, long max, BodyBudget budget) {
    this.declared = declared;
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
    int at = (int) (size - n);
    ensureCapacity((int) size);
    chunk.getBytes(0, n, bytes, at);
    return state;
  }

  private void ensureCapacity(int needed) {
    if (bytes.length >= needed) {
      return;
    }
    long cap = declared >= 0 && declared <= max ? Math.max(declared, needed) : max;
    long grown = bytes.length == 0 ? FIRST_CAPACITY : 2L * bytes.length;
    bytes = Arrays.copyOf(bytes, (int) Math.min(cap, Math.max(needed, grown)));
  }

  private void drop(State why) {
    state = why;
    bytes = EMPTY;
    release();
  }

  State state() {
    return state;
  }

  /** Bytes received so far, kept or not. */
  long size() {
    return size;
  }

  /** Bytes held in memory now (the array's length): what the declared length cannot inflate. */
  int capacity() {
    return bytes.length;
  }

  /** The body; only while {@link State#READING}. */
  byte[] bytes() {
    return bytes.length == size ? bytes : Arrays.copyOf(bytes, (int) size);
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
