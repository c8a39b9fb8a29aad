package io.serval.operator.runtime.local;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.serval.operator.control.DeployPlanner;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.operator.runtime.local.record.ReplicaRecord;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (a fake predictor JVM): start, probe, restart, scale down, re-adopt. */
class LocalReplicaManagerTest {

  @TempDir Path dir;

  private final AtomicReference<Collection<ApiRecord>> desired = new AtomicReference<>(List.of());
  private final Set<String> notified = ConcurrentHashMap.newKeySet();
  private LocalReplicaManager manager;

  private LocalSettings settings() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes;
    try {
      classes =
          Path.of(FakePredictor.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new LocalSettings(
        Path.of("unused.jar"),
        java,
        List.of(),
        Optional.of(
            List.of(
                java,
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classes,
                FakePredictor.class.getName())),
        dir,
        "127.0.0.1",
        Duration.ofMillis(100),
        new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(400)),
        Duration.ofMinutes(5),
        Duration.ofMillis(50),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        true);
  }

  private LocalReplicaManager newManager() {
    LocalReplicaManager m =
        new LocalReplicaManager(
            settings(), dir.resolve("replicas"), desired::get, notified::add, Clock.systemUTC());
    m.start();
    return m;
  }

  private static ApiRecord record(String yaml) {
    return new DeployPlanner(true)
        .plan(new SpecParser().parse(yaml), Map.of(), Map.of(), Instant.now())
        .getFirst()
        .api();
  }

  private List<ReplicaInfo> ready(String api) {
    return manager.replicas(api).stream().filter(ReplicaInfo::ready).toList();
  }

  private long pid(ReplicaInfo r) throws Exception {
    Path rec = dir.resolve("replicas").resolve("fake").resolve(r.id() + ".json");
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .readValue(rec.toFile(), ReplicaRecord.class)
        .pid();
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.shutdown(true);
    }
  }

  @Test
  void startsProbesRestartsScalesDownAndReadopts() throws Exception {
    ApiRecord api = record(api("fake", "autoscaling: {minReplicas: 1, initReplicas: 2}"));
    desired.set(List.of(api));
    manager = newManager();

    await().atMost(Duration.ofSeconds(30)).until(() -> ready("fake").size() == 2);
    assertThat(notified).contains("fake");
    List<ReplicaInfo> two = ready("fake");
    assertThat(two).extracting(ReplicaInfo::grpcAddress).doesNotHaveDuplicates();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + two.getFirst().httpAddress() + "/v2/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).contains(api.revision());
    assertThat(manager.observedGeneration("fake")).isEqualTo(1);

    // a dead replica is restarted with its death counted
    ReplicaInfo victim = two.getFirst();
    ProcessHandle.of(pid(victim)).orElseThrow().destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                manager.replicas("fake").stream()
                    .anyMatch(r -> r.id().equals(victim.id()) && r.ready() && r.restarts() == 1));

    // scale down: the surplus replica leaves and its process ends
    Set<Long> pidsBefore = Set.of(pid(ready("fake").get(0)), pid(ready("fake").get(1)));
    desired.set(List.of(api.withDesiredReplicas(1, "test", Instant.now())));
    manager.poke();
    await().atMost(Duration.ofSeconds(30)).until(() -> manager.replicas("fake").size() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                pidsBefore.stream()
                        .filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                        .count()
                    == 1);
    ReplicaInfo survivor = manager.replicas("fake").getFirst();
    long survivorPid = pid(survivor);

    // an operator restart re-adopts the running replica instead of starting another
    manager.shutdown(false);
    assertThat(ProcessHandle.of(survivorPid).map(ProcessHandle::isAlive)).contains(true);
    manager = newManager();
    await().atMost(Duration.ofSeconds(30)).until(() -> ready("fake").size() == 1);
    assertThat(ready("fake").getFirst().id()).isEqualTo(survivor.id());
    assertThat(pid(ready("fake").getFirst())).isEqualTo(survivorPid);

    // delete: everything stops
    desired.set(List.of());
    manager.poke();
    await().atMost(Duration.ofSeconds(30)).until(() -> manager.replicas("fake").isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(survivorPid).map(p -> !p.isAlive()).orElse(true));
    assertThat(manager.logs("fake", 50)).anyMatch(l -> l.contains("listening on"));
  }

  @Test
  void aCrashingReplicaIsRestartedWithBackoffAndCounted() {
    desired.set(
        List.of(
            record(
                "kind: RealtimeApi\nmetadata: {name: fake}\nspec: {model: {uri: 'file:crash.onnx'}}\n")));
    manager = newManager();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> manager.replicas("fake").stream().anyMatch(r -> r.restarts() >= 3));
    ReplicaInfo r = manager.replicas("fake").getFirst();
    assertThat(r.ready()).isFalse();
    assertThat(r.phase()).isIn(ReplicaPhase.RESTARTING, ReplicaPhase.STARTING);
    assertThat(r.message()).isEqualTo("exited with code 3");
    assertThat(manager.logs("fake", 10)).anyMatch(l -> l.contains("cannot load file:crash.onnx"));
  }
}
