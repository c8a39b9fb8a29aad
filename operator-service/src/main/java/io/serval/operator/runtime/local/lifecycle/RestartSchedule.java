package io.serval.operator.runtime.local.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;

/**
 * The crash history of one replica slot, without I/O: each death waits an exponential, capped
 * backoff before the restart; once the replica has stayed ready for {@code stableAfter}, its deaths
 * are forgotten, so the next crash waits the initial backoff again and the API is no longer
 * Degraded on its account.
 */
final class RestartSchedule {

  /** The wait before restart number n (1 for the first death). */
  private final IntFunction<Duration> backoff;

  private final Duration stableAfter;
  private int deaths;
  private String lastCrash;
  private Instant readySince;

  RestartSchedule(IntFunction<Duration> backoff, Duration stableAfter) {
    this.backoff = backoff;
    this.stableAfter = stableAfter;
  }

  /**
   * Records a death.
   *
   * @param how e.g. "died of SIGFPE (exit 134)"
   * @return when the replica may start again
   */
  Instant died(Instant now, String how) {
    deaths++;
    lastCrash = how;
    readySince = null;
    return now.plus(backoff.apply(deaths));
  }

  /** The replica answered ready (from {@code now} if it was not ready before). */
  void ready(Instant now) {
    if (readySince == null) {
      readySince = now;
    }
  }

  /** The replica is no longer ready (failed probes, restart). */
  void notReady() {
    readySince = null;
  }

  /**
   * Forgets the deaths once the replica has been ready for {@code stableAfter}.
   *
   * @return true when it did just now
   */
  boolean settle(Instant now) {
    if (deaths > 0
        && readySince != null
        && Duration.between(readySince, now).compareTo(stableAfter) >= 0) {
      deaths = 0;
      lastCrash = null;
      return true;
    }
    return false;
  }

  /** Deaths since the replica was last stable (re-adopted replicas start from their record). */
  int deaths() {
    return deaths;
  }

  void restoreDeaths(int n) {
    deaths = n;
  }

  /** How the replica last died, while that is not yet forgotten; null otherwise. */
  String lastCrash() {
    return lastCrash;
  }

  /** The backoff the next death would get. */
  Duration nextDelay() {
    return backoff.apply(deaths + 1);
  }
}
