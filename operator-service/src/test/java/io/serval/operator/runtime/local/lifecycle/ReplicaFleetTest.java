package io.serval.operator.runtime.local.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.operator.runtime.local.RestartBackoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The replica lifecycle on a fake clock with fake processes: start → ready, probe failures, crash →
 * backoff → restart, crash loops, scale down, deletion, adoption. No process, port or thread.
 */
class ReplicaFleetTest {

  private static final String HOST = "127.0.0.1";

  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
  private Instant now = t0;
  private final FakeIo io = new FakeIo();

  /** Backoff 1s, 2s, 4s, capped at 8s; stable after 60s; drain 1s; SIGTERM grace 10s. */
  private final ReplicaFleet fleet =
      new ReplicaFleet(
          new LifecyclePolicy(
              new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))::delay,
              Duration.ofSeconds(60),
              Duration.ofSeconds(1),
              Duration.ofSeconds(10)),
          io);

  private List<DesiredRevision> desired = List.of();

  private void want(int replicas) {
    desired = List.of(new DesiredRevision("m", "r1", replicas, true));
  }

  private Set<String> tickAt(Duration sinceStart) {
    now = t0.plus(sinceStart);
    return fleet.reconcile(desired, now);
  }

  private Set<String> tick() {
    return fleet.reconcile(desired, now);
  }

  private Replica replica(String id) {
    return fleet.replicas().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  private boolean answer(String id, boolean ready) {
    Replica r = replica(id);
    return fleet.probed(r, r.process(), ready, now);
  }

  private ReplicaInfo info(String id) {
    return fleet.view(HOST).get("m").stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void startsTheDesiredReplicasOnFreePortsAndRoutesEachOnceItAnswersReady() {
    want(2);
    assertThat(tick()).as("nothing is in the routes yet").isEmpty();

    assertThat(fleet.replicas()).extracting(Replica::id).containsExactly("m-r1-0", "m-r1-1");
    assertThat(fleet.replicas()).extracting(Replica::phase).containsOnly(ReplicaPhase.STARTING);
    assertThat(io.launched).hasSize(2);
    assertThat(io.saved).as("a record per launch").containsExactly("m-r1-0", "m-r1-1");
    assertThat(io.portsAskedAvoiding.get(1)).as("the first replica's ports").contains(40000, 40001);
    assertThat(io.probes).extracting(FakeIo.Probe::process).containsExactlyElementsOf(io.launched);

    tick();
    assertThat(io.launched).as("enough replicas").hasSize(2);
    assertThat(io.probes).as("no second probe while one is in flight").hasSize(2);

    assertThat(answer("m-r1-0", true)).as("it enters the routes").isTrue();
    assertThat(info("m-r1-0").phase()).isEqualTo(ReplicaPhase.READY);
    assertThat(info("m-r1-0").grpcAddress()).isEqualTo("127.0.0.1:40001");
    assertThat(info("m-r1-0").httpAddress()).isEqualTo("127.0.0.1:40000");
    assertThat(info("m-r1-1").ready()).isFalse();
    assertThat(answer("m-r1-0", true)).as("already routed").isFalse();

    tick();
    assertThat(io.probes).as("probed again once answered").hasSize(3);
  }

  @Test
  void aReadyReplicaLeavesTheRoutesAfterThreeFailedProbesInARow() {
    want(1);
    tick();
    answer("m-r1-0", true);

    assertThat(answer("m-r1-0", false)).isFalse();
    assertThat(answer("m-r1-0", true)).isFalse();
    assertThat(answer("m-r1-0", false)).isFalse();
    assertThat(answer("m-r1-0", false)).as("two in a row are not enough").isFalse();
    assertThat(replica("m-r1-0").phase()).isEqualTo(ReplicaPhase.READY);

    assertThat(answer("m-r1-0", false)).as("the third leaves the routes").isTrue();
    assertThat(info("m-r1-0").phase()).isEqualTo(ReplicaPhase.STARTING);
    assertThat(info("m-r1-0").message()).isEqualTo("not ready (3 failed probes)");
    assertThat(answer("m-r1-0", false)).as("not ready, nothing more to leave").isFalse();

    assertThat(answer("m-r1-0", true)).as("back in the routes").isTrue();
    assertThat(replica("m-r1-0").phase()).isEqualTo(ReplicaPhase.READY);
  }

  @Test
  void aDeadReplicaLeavesTheRoutesAndRestartsAfterItsBackoff() {
    want(1);
    tick();
    answer("m-r1-0", true);
    FakeProcess first = io.last();
    first.die("died of SIGFPE (exit 134)");

    assertThat(tickAt(Duration.ofSeconds(5))).as("it left the routes").containsExactly("m");
    ReplicaInfo dead = info("m-r1-0");
    assertThat(dead.phase()).isEqualTo(ReplicaPhase.RESTARTING);
    assertThat(dead.restarts()).isEqualTo(1);
    assertThat(dead.message()).isEqualTo("died of SIGFPE (exit 134)");
    assertThat(dead.lastCrash()).isEqualTo("died of SIGFPE (exit 134)");

    tickAt(Duration.ofMillis(5999));
    assertThat(io.launched).as("still backing off").hasSize(1);

    tickAt(Duration.ofSeconds(6));
    assertThat(io.launched).as("restarted after 1s").hasSize(2);
    Replica r = replica("m-r1-0");
    assertThat(r.process()).isSameAs(io.last());
    assertThat(r.phase()).isEqualTo(ReplicaPhase.STARTING);
    assertThat(r.restarts()).isEqualTo(1);
    assertThat(io.saved).as("a new record for the new process").hasSize(2);

    assertThat(fleet.probed(r, first, true, now)).as("an answer about the dead process").isFalse();
    assertThat(r.phase()).isEqualTo(ReplicaPhase.STARTING);
    assertThat(answer("m-r1-0", true)).isTrue();
    assertThat(r.phase()).isEqualTo(ReplicaPhase.READY);
  }

  @Test
  void aCrashLoopBacksOffUpToTheCapWithItsDeathsCountedUntilTheReplicaIsStableAgain() {
    io.onLaunch = r -> new FakeProcess(7, now).die("exited with code 3");
    want(1);
    // Ticks every 500ms; each launch dies at once, seen at the launch's own tick when the launch
    // came from the diff, at the next tick when it was a restart; then backoff 1, 2, 4, 8, 8s.
    List<Long> launchedAtMillis = new ArrayList<>();
    for (long ms = 0; ms <= 24_500; ms += 500) {
      int before = io.launched.size();
      assertThat(tickAt(Duration.ofMillis(ms))).as("never in the routes").isEmpty();
      if (io.launched.size() > before) {
        launchedAtMillis.add(ms);
      }
    }
    assertThat(launchedAtMillis).containsExactly(0L, 1_000L, 3_500L, 8_000L, 16_500L);
    ReplicaInfo looping = info("m-r1-0");
    // What the API status reads: Degraded (CrashLoop) from crashLoopRestarts deaths on.
    assertThat(looping.phase()).isEqualTo(ReplicaPhase.RESTARTING);
    assertThat(looping.ready()).isFalse();
    assertThat(looping.restarts()).isEqualTo(5);
    assertThat(looping.message()).isEqualTo("exited with code 3");
    assertThat(looping.lastCrash()).isEqualTo("exited with code 3");

    io.onLaunch = r -> new FakeProcess(8, now);
    tickAt(Duration.ofSeconds(25));
    assertThat(io.launched).hasSize(6);
    assertThat(answer("m-r1-0", true)).isTrue();
    assertThat(info("m-r1-0").restarts()).as("not stable yet").isEqualTo(5);

    tickAt(Duration.ofSeconds(25 + 59));
    assertThat(info("m-r1-0").restarts()).isEqualTo(5);
    int records = io.saved.size();
    tickAt(Duration.ofSeconds(25 + 60));
    ReplicaInfo stable = info("m-r1-0");
    assertThat(stable.restarts()).as("deaths forgotten").isZero();
    assertThat(stable.message()).isNull();
    assertThat(stable.lastCrash()).isNull();
    assertThat(io.saved).as("the record keeps the forgotten count").hasSize(records + 1);
  }

  @Test
  void aLaunchThatFailsIsADeathToo() {
    io.onLaunch = r -> null;
    want(1);
    tick();
    Replica r = replica("m-r1-0");
    assertThat(r.phase()).isEqualTo(ReplicaPhase.RESTARTING);
    assertThat(r.message()).isEqualTo("cannot start: no such file");
    assertThat(r.restarts()).isEqualTo(1);
    assertThat(r.process()).isNull();
    assertThat(io.saved).isEmpty();

    io.onLaunch = x -> new FakeProcess(9, now);
    tickAt(Duration.ofSeconds(1));
    assertThat(r.phase()).isEqualTo(ReplicaPhase.STARTING);
    assertThat(r.ports()).as("new ports each launch").isEqualTo(new Ports(40002, 40003));
    assertThat(io.saved).containsExactly("m-r1-0");
  }

  @Test
  void scaleDownRetiresTheUnreadyThenTheNewestDrainsThemThenSignalsThenKills() {
    want(3);
    tick();
    answer("m-r1-0", true);
    answer("m-r1-2", true);
    FakeProcess unready = (FakeProcess) replica("m-r1-1").process();
    FakeProcess stubborn = ((FakeProcess) replica("m-r1-2").process()).ignoringTerm();

    want(1);
    assertThat(tickAt(Duration.ofSeconds(10))).containsExactly("m");
    assertThat(info("m-r1-0").phase()).isEqualTo(ReplicaPhase.READY);
    assertThat(info("m-r1-1").phase()).isEqualTo(ReplicaPhase.STOPPING);
    assertThat(info("m-r1-2").phase()).isEqualTo(ReplicaPhase.STOPPING);

    tickAt(Duration.ofMillis(10999));
    assertThat(unready.terms + stubborn.terms).as("still draining").isZero();
    tickAt(Duration.ofSeconds(11));
    assertThat(unready.terms).isEqualTo(1);
    assertThat(stubborn.terms).isEqualTo(1);

    assertThat(tickAt(Duration.ofMillis(11500))).as("one has stopped").containsExactly("m");
    assertThat(io.forgotten).containsExactly("m-r1-1");
    assertThat(fleet.replicas()).extracting(Replica::id).containsExactly("m-r1-0", "m-r1-2");

    tickAt(Duration.ofSeconds(21));
    assertThat(stubborn.kills).as("within the grace period").isZero();
    tickAt(Duration.ofMillis(21001));
    assertThat(stubborn.kills).isEqualTo(1);
    tickAt(Duration.ofSeconds(22));
    assertThat(fleet.replicas()).extracting(Replica::id).containsExactly("m-r1-0");
    assertThat(io.forgotten).containsExactly("m-r1-1", "m-r1-2");
    assertThat(stubborn.terms).as("SIGTERM once").isEqualTo(1);
    assertThat(io.launched).as("stopping replicas are not replaced").hasSize(3);
  }

  @Test
  void anApiNoLongerWantedStopsItsLiveReplicasAndForgetsItsDeadOnesAtOnce() {
    want(2);
    tick();
    answer("m-r1-0", true);
    ((FakeProcess) replica("m-r1-1").process()).die("exited with code 1");
    assertThat(tick()).as("it was not in the routes").isEmpty();

    desired = List.of();
    assertThat(tickAt(Duration.ofSeconds(1))).containsExactly("m");
    assertThat(fleet.replicas()).extracting(Replica::id).containsExactly("m-r1-0");
    assertThat(replica("m-r1-0").phase()).isEqualTo(ReplicaPhase.STOPPING);
    assertThat(io.forgotten).containsExactly("m-r1-1");
  }

  @Test
  void aRevisionWhoseRecordIsMissingKeepsItsReplicasAsTheyAre() {
    want(1);
    tick();
    desired = List.of(new DesiredRevision("m", "r1", 0, false));
    tickAt(Duration.ofSeconds(5));
    assertThat(replica("m-r1-0").phase()).isEqualTo(ReplicaPhase.STARTING);
    assertThat(io.launched).hasSize(1);
    assertThat(io.forgotten).isEmpty();
  }

  @Test
  void anAdoptedProcessCountsAsAReplicaWithItsRecordedDeathsAndPorts() {
    FakeProcess left = new FakeProcess(4242, t0.minusSeconds(3600));
    fleet.adopt("m-r1-0", "m", "r1", left, new Ports(41000, 41001), 2);
    assertThat(info("m-r1-0").phase()).isEqualTo(ReplicaPhase.STARTING);
    assertThat(info("m-r1-0").restarts()).isEqualTo(2);

    want(1);
    tick();
    assertThat(io.launched).as("the adopted one is enough").isEmpty();
    assertThat(io.probes).extracting(FakeIo.Probe::process).containsExactly(left);
    assertThat(answer("m-r1-0", true)).isTrue();
    assertThat(info("m-r1-0").grpcAddress()).isEqualTo("127.0.0.1:41001");

    want(2);
    tick();
    assertThat(fleet.replicas()).extracting(Replica::id).containsExactly("m-r1-0", "m-r1-1");
    assertThat(io.portsAskedAvoiding.getLast()).contains(41000, 41001);
  }

  @Test
  void stopAllSignalsTheLiveAndForgetsEveryRecord() {
    want(2);
    tick();
    FakeProcess dead = ((FakeProcess) replica("m-r1-1").process()).die("exited with code 1");
    tick();

    List<ReplicaProcess> signalled = fleet.stopAll();
    assertThat(signalled).containsExactly(replica("m-r1-0").process());
    assertThat(((FakeProcess) signalled.getFirst()).terms).isEqualTo(1);
    assertThat(dead.terms).isZero();
    assertThat(io.forgotten).containsExactlyInAnyOrder("m-r1-0", "m-r1-1");
  }
}
