package io.serval.operator.runtime.local.lifecycle;

import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import java.time.Duration;
import java.time.Instant;

/**
 * One replica's state machine, without I/O: STARTING (launched, not yet answering ready) → READY
 * (in the routes) → back to STARTING after {@link #FAILED_PROBES_TO_UNREADY} failed probes; a dead
 * process → RESTARTING until its backoff has passed → STARTING again; retired → STOPPING (out of
 * the routes, signalled after the drain delay, killed after the grace period). Touched only by the
 * {@link ReplicaFleet}'s thread.
 */
public final class Replica {

  /** Consecutive failed probes before a ready replica leaves the routes. */
  static final int FAILED_PROBES_TO_UNREADY = 3;

  /** What a probe answer did to the replica. */
  enum ProbeOutcome {
    UNCHANGED,
    /** Answered ready for the first time since it started: it enters the routes. */
    BECAME_READY,
    /** Failed too many probes in a row: it leaves the routes. */
    BECAME_UNREADY
  }

  /** What a tick of a stopping replica asks of its process. */
  enum StopStep {
    WAIT,
    /** The drain delay has passed: send SIGTERM (once). */
    TERMINATE,
    /** It ignored SIGTERM for the grace period: kill it (again on every later tick). */
    KILL
  }

  private final String id;
  private final String api;
  private final String revision;

  /** Deaths, backoff and the last crash; forgotten once the replica is stable again. */
  private final RestartSchedule schedule;

  /** Null until the first launch succeeds; the dead process while restarting. */
  private ReplicaProcess process;

  private Ports ports = new Ports(0, 0);
  private ReplicaPhase phase = ReplicaPhase.STARTING;
  private String message;
  private Instant nextStartAt;
  private Instant stopAt;
  private boolean termSent;
  private boolean probeInFlight;
  private int failedProbes;

  Replica(String id, String api, String revision, RestartSchedule schedule) {
    this.id = id;
    this.api = api;
    this.revision = revision;
    this.schedule = schedule;
  }

  public String id() {
    return id;
  }

  public String api() {
    return api;
  }

  public String revision() {
    return revision;
  }

  public Ports ports() {
    return ports;
  }

  public ReplicaPhase phase() {
    return phase;
  }

  /** Null before the first successful launch. */
  public ReplicaProcess process() {
    return process;
  }

  /** Deaths since the replica was last stable. */
  public int restarts() {
    return schedule.deaths();
  }

  public String message() {
    return message;
  }

  public boolean ready() {
    return phase == ReplicaPhase.READY;
  }

  public boolean alive() {
    return process != null && process.alive();
  }

  /** The replica as the runtime reports it; {@code host} is where its ports listen. */
  public ReplicaInfo info(String host) {
    return new ReplicaInfo(
        id,
        revision,
        host + ":" + ports.grpc(),
        host + ":" + ports.http(),
        phase,
        schedule.deaths(),
        message,
        schedule.lastCrash());
  }

  // ------------------------------------------------------------------ transitions

  /** A process left running by a previous operator, taken over with its recorded deaths. */
  void adopted(ReplicaProcess p, Ports recorded, int deaths) {
    process = p;
    ports = recorded;
    schedule.restoreDeaths(deaths);
  }

  /** New ports for the next launch (set even if the launch then fails). */
  void assign(Ports p) {
    ports = p;
  }

  void launched(ReplicaProcess p) {
    process = p;
    phase = ReplicaPhase.STARTING;
    failedProbes = 0;
  }

  /** The process could not start: counted as a death, so it backs off like a crash. */
  void launchFailed(String why, Instant now) {
    phase = ReplicaPhase.RESTARTING;
    message = "cannot start: " + why;
    nextStartAt = schedule.died(now, message);
  }

  /**
   * The process is gone: the replica waits out its backoff.
   *
   * @return true when it was in the routes
   */
  boolean died(Instant now) {
    boolean wasReady = ready();
    // No process: its first launch failed before one started (no free port); nothing to read.
    message = process == null ? "exited" : process.exitDescription();
    nextStartAt = schedule.died(now, message);
    phase = ReplicaPhase.RESTARTING;
    return wasReady;
  }

  /** The wait from {@code now} until the next start. */
  Duration backoffLeft(Instant now) {
    return Duration.between(now, nextStartAt);
  }

  boolean mayRestart(Instant now) {
    return !now.isBefore(nextStartAt);
  }

  /**
   * Forgets the deaths of a replica that has stayed ready long enough.
   *
   * @return true when it did just now
   */
  boolean settle(Instant now) {
    if (phase == ReplicaPhase.READY && schedule.settle(now)) {
      message = null;
      return true;
    }
    return false;
  }

  /**
   * Marks a probe as sent.
   *
   * @return false when one is already in flight (no second is sent)
   */
  boolean startProbe() {
    if (probeInFlight) {
      return false;
    }
    probeInFlight = true;
    return true;
  }

  void probeAnswered() {
    probeInFlight = false;
  }

  ProbeOutcome probed(boolean answeredReady, Instant now) {
    if (answeredReady) {
      failedProbes = 0;
      if (phase == ReplicaPhase.STARTING) {
        phase = ReplicaPhase.READY;
        schedule.ready(now);
        return ProbeOutcome.BECAME_READY;
      }
    } else if (phase == ReplicaPhase.READY && ++failedProbes >= FAILED_PROBES_TO_UNREADY) {
      phase = ReplicaPhase.STARTING;
      schedule.notReady();
      message = "not ready (" + failedProbes + " failed probes)";
      return ProbeOutcome.BECAME_UNREADY;
    }
    return ProbeOutcome.UNCHANGED;
  }

  /** Out of the routes now; the signal follows after {@code drainDelay}. */
  void drain(Instant now, Duration drainDelay) {
    phase = ReplicaPhase.STOPPING;
    stopAt = now.plus(drainDelay);
  }

  StopStep stopStep(Instant now, Duration grace) {
    if (!termSent && !now.isBefore(stopAt)) {
      termSent = true;
      return StopStep.TERMINATE;
    }
    if (termSent && now.isAfter(stopAt.plus(grace))) {
      return StopStep.KILL;
    }
    return StopStep.WAIT;
  }
}
