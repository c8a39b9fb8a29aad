package io.serval.operator.runtime.local.lifecycle;

import java.time.Duration;
import java.time.Instant;

/** A replica process in memory: alive until the test kills it, or until SIGTERM if it obeys. */
final class FakeProcess implements ReplicaProcess {

  private final long pid;
  private final Instant startedAt;
  private boolean alive = true;
  private boolean obeysTerm = true;
  private String exit = "exited with code 3";
  int terms;
  int kills;

  FakeProcess(long pid, Instant startedAt) {
    this.pid = pid;
    this.startedAt = startedAt;
  }

  /** It dies, as a crash would, described as {@code how}. */
  FakeProcess die(String how) {
    alive = false;
    exit = how;
    return this;
  }

  FakeProcess ignoringTerm() {
    obeysTerm = false;
    return this;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public boolean alive() {
    return alive;
  }

  @Override
  public String exitDescription() {
    return exit;
  }

  @Override
  public void terminate() {
    terms++;
    if (obeysTerm) {
      alive = false;
    }
  }

  @Override
  public void kill() {
    kills++;
    alive = false;
  }

  @Override
  public boolean awaitExit(Duration timeout) {
    return !alive;
  }
}
