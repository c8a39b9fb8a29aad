package io.serval.operator.runtime.local;

import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import java.time.Instant;

/** One replica's live state. Touched only by the replica manager's loop thread. */
final class Replica {

  final String id;
  final String api;
  final String revision;
  ProcessHandle process;

  /** Set for processes this operator started (adopted ones have no exit code to read). */
  Process child;

  Instant processStart;
  int httpPort;
  int grpcPort;
  ReplicaPhase phase = ReplicaPhase.STARTING;

  /** Deaths, backoff and the last crash; forgotten once the replica is stable again. */
  final RestartSchedule schedule;

  String message;
  Instant nextStartAt;
  Instant stopAt;
  boolean termSent;
  boolean probeInFlight;
  int failedProbes;

  Replica(String id, String api, String revision, RestartSchedule schedule) {
    this.id = id;
    this.api = api;
    this.revision = revision;
    this.schedule = schedule;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  ReplicaInfo info(String host) {
    return new ReplicaInfo(
        id,
        revision,
        host + ":" + grpcPort,
        host + ":" + httpPort,
        phase,
        schedule.deaths(),
        message,
        schedule.lastCrash());
  }

  ReplicaRecord record() {
    return new ReplicaRecord(
        id, api, revision, process.pid(), processStart, httpPort, grpcPort, schedule.deaths());
  }
}
