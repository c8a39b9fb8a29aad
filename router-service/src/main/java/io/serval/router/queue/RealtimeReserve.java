package io.serval.router.queue;

import java.time.Duration;
import java.util.Arrays;

/**
 * How many of an API's slots background work (async requests, batch items) may take now: the rule
 * that keeps a deep backlog from pushing realtime latency up (issue 14).
 *
 * <p>Background work never preempts: a slot it holds is lost to a realtime request that arrives
 * meanwhile, which then waits for one background inference. So background work is kept off the
 * slots realtime traffic needs: the API's realtime demand (its realtime requests in flight plus
 * those waiting) is tracked with its peak over a sliding window, and while realtime traffic was
 * seen within the window, {@code peak + headroom} slots are reserved for it. Background work gets
 * the usable slots above the reserve, less what it already holds. An API that saw no realtime
 * request within the window reserves nothing: async-only traffic uses every slot.
 *
 * <p>Starvation bound: when the reserve leaves background work no room, none of it is in flight or
 * waiting, and none was let in for {@code maxBackgroundWait}, it may take one slot; so async
 * requests and batch items still advance, one at least per bound, under realtime traffic that
 * reserves every slot (when realtime requests even wait for slots, the one let in waits in the
 * queue's background lane until {@link FairApiQueue}'s aging lets it go first).
 *
 * <p>The peak is kept per bucket of {@code window / BUCKETS}, in a ring: the window slides by a
 * bucket at a time, so a peak is forgotten between {@code window - window/BUCKETS} and {@code
 * window} after it ended. Every change of the demand is O(1) (a bounded ring walk when buckets were
 * skipped) and allocates nothing: it runs under the queue's lock on every realtime request.
 *
 * <p>Not thread-safe: its owner ({@link FairApiQueue}) calls it under its own lock. Time is the
 * owner's {@link Ticker}, passed in as nanoseconds.
 */
public final class RealtimeReserve {
  /** Buckets of the sliding window. */
  static final int BUCKETS = 10;

  /** Defaults, until the router's configuration is applied. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

  public static final int DEFAULT_HEADROOM = 1;

  private final long[] peaks = new long[BUCKETS];
  private long bucketNanos;
  private int headroom;
  private long maxWaitNanos;
  private long epoch;
  private boolean restart = true;
  private int demand;
  private boolean backgroundAdmitted;
  private long lastBackgroundAdmittedNanos;

  public RealtimeReserve(Duration window, int headroom, Duration maxBackgroundWait) {
    configure(window, headroom, maxBackgroundWait);
  }

  /**
   * Applies new settings; the peaks seen so far are forgotten when the window changes.
   *
   * @throws IllegalArgumentException for a window under 1 ms, a negative headroom or bound
   */
  public void configure(Duration window, int headroom, Duration maxBackgroundWait) {
    if (window.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("the realtime window must be at least 1ms: " + window);
    }
    if (headroom < 0) {
      throw new IllegalArgumentException("the realtime headroom must not be negative: " + headroom);
    }
    if (maxBackgroundWait.isNegative()) {
      throw new IllegalArgumentException(
          "background max wait must not be negative: " + maxBackgroundWait);
    }
    long bucket = Math.max(1, window.toNanos() / BUCKETS);
    if (bucket != bucketNanos) {
      // A new ring: it starts again at the next call, from the demand as it is then.
      bucketNanos = bucket;
      restart = true;
    }
    this.headroom = headroom;
    this.maxWaitNanos = maxBackgroundWait.toNanos();
  }

  /** The realtime demand changed (a request arrived, ended, was cancelled or expired). */
  public void demand(long nowNanos, int realtimeDemand) {
    roll(nowNanos);
    demand = realtimeDemand;
    int i = index(epoch);
    if (realtimeDemand > peaks[i]) {
      peaks[i] = realtimeDemand;
    }
  }

  /** Background work was let in (an entry offered): the starvation bound counts from here. */
  public void backgroundAdmitted(long nowNanos) {
    backgroundAdmitted = true;
    lastBackgroundAdmittedNanos = nowNanos;
  }

  /** The highest realtime demand within the window, the current one included. */
  public int peak(long nowNanos) {
    roll(nowNanos);
    long max = demand;
    for (long p : peaks) {
      max = Math.max(max, p);
    }
    return (int) max;
  }

  /** Slots kept for realtime traffic now: its recent peak plus the headroom, or 0 without any. */
  public int reserved(long nowNanos) {
    int peak = peak(nowNanos);
    return peak == 0 ? 0 : peak + headroom;
  }

  /**
   * How many more background entries may be let in now.
   *
   * @param usableSlots slots of the replicas that may take work (maxConcurrency each)
   * @param free free slots on them less every entry already waiting
   * @param backgroundHeld background entries in flight or waiting
   */
  public int backgroundRoom(long nowNanos, int usableSlots, int free, int backgroundHeld) {
    long room = Math.min(free, (long) usableSlots - reserved(nowNanos) - backgroundHeld);
    if (room > 0) {
      return (int) room;
    }
    if (backgroundHeld == 0
        && usableSlots > 0
        && (!backgroundAdmitted || nowNanos - lastBackgroundAdmittedNanos >= maxWaitNanos)) {
      return 1;
    }
    return 0;
  }

  /** Moves the ring to {@code nowNanos}'s bucket; the buckets skipped held the demand unchanged. */
  private void roll(long nowNanos) {
    long now = epochOf(nowNanos);
    if (restart) {
      Arrays.fill(peaks, 0);
      peaks[index(now)] = demand;
      epoch = now;
      restart = false;
      return;
    }
    if (now - epoch <= 0) {
      return;
    }
    long steps = Math.min(now - epoch, BUCKETS);
    for (long s = 1; s <= steps; s++) {
      peaks[index(now - steps + s)] = demand;
    }
    epoch = now;
  }

  private long epochOf(long nowNanos) {
    return Math.floorDiv(nowNanos, bucketNanos);
  }

  private static int index(long epoch) {
    return (int) Math.floorMod(epoch, (long) BUCKETS);
  }
}
