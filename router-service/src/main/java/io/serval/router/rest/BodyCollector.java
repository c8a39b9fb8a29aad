package io.serval.router.rest;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body as it arrives, on one event loop. Memory follows the bytes received, never the
 * Content-Length a client declares. The first chunk is kept as Vert.x delivered it (every small
 * body is one chunk, joined without a copy); later ones are copied into segments that grow from 64
 * KiB to 1 MiB. Segments that large are humongous objects to G1, which the young collections never
 * copy, where thousands of retained 8 KiB chunks of several 64 MB bodies would be copied at every
 * pause, stopping the event loops with them. {@link #bytes()} joins the pieces into one array; the
 * router calls it on a codec thread for large bodies, so the event loop never copies a large array.
 * Every byte received is reserved in the shared {@link BodyBudget} until {@link #release()}.
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

  static final int FIRST_SEGMENT = 64 * 1024;
  static final int LARGEST_SEGMENT = 1024 * 1024;

  /** The first chunk: every small body is one. */
  private Buffer first;

  private List<byte[]> segments;
  private byte[] current;
  private int used;
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
    if (first == null) {
      first = chunk;
      held += n;
      return state;
    }
    int from = 0;
    while (from < n) {
      if (current == null || used == current.length) {
        nextSegment();
      }
      int take = Math.min(n - from, current.length - used);
      chunk.getBytes(from, from + take, current, used);
      used += take;
      from += take;
    }
    return state;
  }

  private void nextSegment() {
    if (segments == null) {
      segments = new ArrayList<>();
    }
    int length = current == null ? FIRST_SEGMENT : Math.min(LARGEST_SEGMENT, 2 * current.length);
    current = new byte[length];
    segments.add(current);
    used = 0;
    held += length;
  }

  private void drop(State why) {
    state = why;
    first = null;
    segments = null;
    current = null;
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

  /**
   * Bytes of memory holding the body now: what was received plus at most one segment's unused room,
   * whatever length was declared.
   */
  long held() {
    return held;
  }

  /** The body in one array of its exact size; only while {@link State#READING}. */
  byte[] bytes() {
    byte[] out = new byte[(int) size];
    int at = 0;
    if (first != null) {
      first.getBytes(0, first.length(), out, at);
      at += first.length();
    }
    if (segments != null) {
      for (byte[] segment : segments) {
        int length = segment == current ? used : segment.length;
        System.arraycopy(segment, 0, out, at, length);
        at += length;
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
