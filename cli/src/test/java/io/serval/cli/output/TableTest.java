package io.serval.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void padsColumnsToTheWidestCell() {
    String t = new Table("NAME", "STATUS").row("minilm", "live").row("a", "updating").render();

    assertThat(t).isEqualTo("NAME     STATUS\nminilm   live\na        updating\n");
  }

  @Test
  void agesRoundDownToTheLargestUnit() {
    Instant now = Instant.parse("2026-01-02T00:00:00Z");

    assertThat(Ages.since("2026-01-01T23:59:15Z", now)).isEqualTo("45s");
    assertThat(Ages.since("2026-01-01T23:50:00Z", now)).isEqualTo("10m");
    assertThat(Ages.of(Duration.ofHours(5))).isEqualTo("5h");
    assertThat(Ages.of(Duration.ofDays(3))).isEqualTo("3d");
    assertThat(Ages.since(null, now)).isEqualTo("-");
    assertThat(Ages.iso("PT1M")).isEqualTo("1m");
    assertThat(Ages.iso("PT6S")).isEqualTo("6s");
    assertThat(Ages.iso("PT1M30S")).isEqualTo("1m30s");
  }
}
