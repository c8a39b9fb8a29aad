package io.serval.router.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.router.routing.RouteTableHolder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesFileSourceTest {
  @TempDir Path dir;
  private final RouteTableHolder holder = new RouteTableHolder();

  @Test
  void loadsThenFollowsEditsAndKeepsTheLastGoodRoutesOnABadEdit() throws Exception {
    Path file = dir.resolve("routes.yaml");
    Files.writeString(file, "version: 1\napis: [{name: a}]\n");
    RoutesFileSource source = new RoutesFileSource(file, holder);
    source.loadOrFail();
    assertThat(holder.loaded()).isTrue();
    assertThat(holder.current().api("a")).isNotNull();

    Files.writeString(file, "version: 2\napis: [{name: a}, {name: bb}]\n");
    source.reloadIfChanged();
    assertThat(holder.current().version()).isEqualTo(2);

    Files.writeString(file, "version: 3\napis: [{name: a}, {name: a}, {name: ccc}]\n");
    source.reloadIfChanged();
    assertThat(holder.current().version()).as("a bad edit is ignored").isEqualTo(2);
  }

  @Test
  void failsFastOnAMissingOrInvalidFile() throws Exception {
    assertThatThrownBy(() -> new RoutesFileSource(dir.resolve("none.yaml"), holder).loadOrFail())
        .hasMessageContaining("none.yaml");
    Path bad = dir.resolve("bad.json");
    Files.writeString(
        bad,
        "{\"apis\": [{\"name\": \"x\", \"revisions\": [{\"revision\": \"r\","
            + " \"trafficPercent\": 40}, {\"revision\": \"s\", \"trafficPercent\": 40}]}]}");
    assertThatThrownBy(() -> new RoutesFileSource(bad, holder).loadOrFail())
        .hasMessageContaining("sum to 80");
    assertThat(holder.loaded()).isFalse();
  }
}
