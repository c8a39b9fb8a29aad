package io.serval.operator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.operator.revision.RevisionId;
import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.spec.SpecFixtures;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.spec.TrafficSplitter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

  @TempDir Path dir;

  private final SpecParser parser = new SpecParser();
  private final Instant now = Instant.parse("2025-01-02T03:04:05Z");

  private ApiRecord record(String name) {
    RealtimeApi api =
        (RealtimeApi) parser.parse(SpecFixtures.MINILM.replace("minilm", name)).getFirst();
    String rev = RevisionId.of(api.spec());
    return new ApiRecord(
        api,
        3,
        List.of(RevisionRecord.of(rev, api.spec(), now)),
        Map.of(rev, 100),
        2,
        "test",
        RolloutState.complete("a", "b", now),
        now,
        now);
  }

  @Test
  void roundTripsApisSplittersAndVersionAcrossARestart() {
    StateStore store = new StateStore(dir);
    ApiRecord api = record("minilm");
    TrafficSplitter splitter =
        (TrafficSplitter)
            parser.parse(SpecFixtures.splitter("s", "- {name: minilm, weight: 100}")).getFirst();
    SplitterRecord sr = new SplitterRecord(splitter, 1, null, now, now);
    store.save(api);
    store.save(sr);
    store.saveRoutesVersion(42);

    StateStore reopened = new StateStore(dir);
    assertThat(reopened.loadApis()).containsExactly(Map.entry("minilm", api));
    assertThat(reopened.loadSplitters()).containsExactly(Map.entry("s", sr));
    assertThat(reopened.loadRoutesVersion()).isEqualTo(42);

    reopened.deleteApi("minilm");
    assertThat(new StateStore(dir).loadApis()).isEmpty();
  }

  @Test
  void overwriteReplacesWholeFileAndLeavesNoTemporaries() throws Exception {
    StateStore store = new StateStore(dir);
    store.save(record("a"));
    ApiRecord changed = record("a").withDesiredReplicas(7, "more", now);
    store.save(changed);
    assertThat(store.loadApis().get("a").desiredReplicas()).isEqualTo(7);
    try (var files = Files.list(dir.resolve("apis"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.json");
    }
  }

  @Test
  void aCrashBeforeTheRenameLeavesTheOldContentAndTheTemporaryIsCleanedUp() throws Exception {
    StateStore store = new StateStore(dir);
    store.save(record("a"));
    // What a crash between write and rename leaves: a half-written temporary beside the file.
    Path leftover = dir.resolve("apis").resolve(".a.json.1234" + AtomicFiles.TEMP_SUFFIX);
    Files.writeString(leftover, "{\"api\": {\"trunc");
    StateStore reopened = new StateStore(dir);
    assertThat(reopened.loadApis().get("a")).isEqualTo(record("a"));
    assertThat(leftover).doesNotExist();
  }

  @Test
  void atomicWriteSetsPermissionsBeforeContent() throws Exception {
    Path secret = dir.resolve("token");
    AtomicFiles.write(
        secret,
        "s3cret".getBytes(StandardCharsets.UTF_8),
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Files.getPosixFilePermissions(secret))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(secret)).isEqualTo("s3cret");
  }

  @Test
  void refusesAHandEditedCorruptFileNamingIt() throws Exception {
    new StateStore(dir);
    Files.writeString(dir.resolve("apis/broken.json"), "{not json");
    assertThatThrownBy(() -> new StateStore(dir).loadApis())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broken.json");
  }
}
