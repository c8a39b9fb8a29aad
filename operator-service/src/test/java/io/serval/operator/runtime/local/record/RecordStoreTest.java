package io.serval.operator.runtime.local.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.runtime.local.RestartBackoff;
import io.serval.operator.runtime.local.lifecycle.LifecyclePolicy;
import io.serval.operator.runtime.local.lifecycle.Ports;
import io.serval.operator.runtime.local.lifecycle.Replica;
import io.serval.operator.runtime.local.lifecycle.ReplicaFleet;
import io.serval.operator.runtime.local.lifecycle.ReplicaIo;
import io.serval.operator.runtime.local.lifecycle.ReplicaProcess;
import io.serval.operator.runtime.local.process.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replica records and adoption, with this test's own JVM as the live process (no process is
 * started): a record is adopted only while its pid runs with the recorded start instant.
 */
class RecordStoreTest {

  @TempDir Path dir;

  private static final ProcessHandle SELF = ProcessHandle.current();
  private static final Instant SELF_STARTED = SELF.info().startInstant().orElseThrow();

  private static Replica replicaOf(ReplicaProcess process) {
    ReplicaIo unused =
        new ReplicaIo() {
          @Override
          public Ports ports(Set<Integer> inUse) {
            throw new AssertionError();
          }

          @Override
          public ReplicaProcess launch(Replica replica, Instant now) {
            throw new AssertionError();
          }

          @Override
          public void probe(Replica replica, ReplicaProcess p) {}

          @Override
          public void save(Replica replica) {}

          @Override
          public void forget(Replica replica) {}
        };
    ReplicaFleet fleet =
        new ReplicaFleet(
            new LifecyclePolicy(
                new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1))::delay,
                Duration.ofMinutes(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)),
            unused);
    return fleet.adopt("m-r1-0", "m", "r1", process, new Ports(40000, 40001), 2);
  }

  private void writeRecord(String name, long pid, Instant started) throws Exception {
    Files.createDirectories(dir.resolve("m"));
    Files.writeString(
        dir.resolve("m").resolve(name + ".json"),
        "{\"id\":\""
            + name
            + "\",\"api\":\"m\",\"revision\":\"r1\",\"pid\":"
            + pid
            + ",\"processStart\":\""
            + started
            + "\",\"httpPort\":1,\"grpcPort\":2,\"restarts\":0}");
  }

  @Test
  void savesAReadableRecordAndAdoptsOnlyProcessesThatStillRun() throws Exception {
    RecordStore store = new RecordStore(dir);
    Replica live =
        replicaOf(ChildProcess.adopted(SELF, SELF_STARTED, dir.resolve("m").resolve("x.log")));
    store.save(live);
    String json = Files.readString(dir.resolve("m").resolve("m-r1-0.json"));
    assertThat(json)
        .contains("\"pid\":" + SELF.pid(), "\"processStart\":\"" + SELF_STARTED + "\"")
        .contains("\"httpPort\":40000", "\"grpcPort\":40001", "\"restarts\":2");

    writeRecord("m-r1-1", 999_999_999L, SELF_STARTED); // gone: above any pid_max
    writeRecord("m-r1-2", SELF.pid(), SELF_STARTED.minusSeconds(60)); // the pid was recycled
    Files.writeString(dir.resolve("m").resolve("m-r1-3.json"), "not json");

    List<RecordStore.Live> adoptable = store.adoptable();
    assertThat(adoptable).hasSize(1);
    ReplicaRecord rec = adoptable.getFirst().record();
    assertThat(rec)
        .isEqualTo(
            new ReplicaRecord("m-r1-0", "m", "r1", SELF.pid(), SELF_STARTED, 40000, 40001, 2));
    assertThat(adoptable.getFirst().process().pid()).isEqualTo(SELF.pid());
    assertThat(dir.resolve("m").resolve("m-r1-1.json")).as("gone: forgotten").doesNotExist();
    assertThat(dir.resolve("m").resolve("m-r1-2.json")).as("another process").doesNotExist();
    assertThat(dir.resolve("m").resolve("m-r1-3.json")).as("unreadable: left alone").exists();

    store.delete(live);
    assertThat(dir.resolve("m").resolve("m-r1-0.json")).doesNotExist();
    assertThat(new RecordStore(dir.resolve("none")).adoptable()).isEmpty();
  }
}
