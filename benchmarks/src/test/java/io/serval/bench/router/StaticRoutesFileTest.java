package io.serval.bench.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticRoutesFileTest {
  @TempDir Path tmp;

  @Test
  void writesOneApiWithOneRevisionTakingAllTrafficToThePredictor() throws Exception {
    Path file =
        new StaticRoutesFile(
                "tiny", "tiny-model", "127.0.0.1:18601", 256, 1000, Duration.ofSeconds(10))
            .write(tmp.resolve("sub/routes.json"));
    JsonNode root = new ObjectMapper().readTree(Files.readString(file));
    assertThat(root.path("version").asLong()).isEqualTo(1);
    assertThat(root.path("apis")).hasSize(1);
    JsonNode api = root.path("apis").get(0);
    assertThat(api.path("name").asText()).isEqualTo("tiny");
    assertThat(api.path("modelName").asText()).isEqualTo("tiny-model");
    assertThat(api.path("limits").path("maxConcurrency").asInt()).isEqualTo(256);
    assertThat(api.path("limits").path("maxQueueLength").asInt()).isEqualTo(1000);
    assertThat(api.path("limits").path("timeout").asText()).isEqualTo("10s");
    JsonNode revision = api.path("revisions").get(0);
    assertThat(revision.path("trafficPercent").asDouble()).isEqualTo(100);
    assertThat(revision.path("endpoints").get(0).path("address").asText())
        .isEqualTo("127.0.0.1:18601");
  }

  @Test
  void writesDurationsInTheProto3JsonForm() {
    assertThat(StaticRoutesFile.protoDuration(Duration.ofMillis(250))).isEqualTo("0.25s");
    assertThat(StaticRoutesFile.protoDuration(Duration.ofMinutes(2))).isEqualTo("120s");
    assertThat(StaticRoutesFile.protoDuration(Duration.ofNanos(1_000_000_001L)))
        .isEqualTo("1.000000001s");
  }

  @Test
  void refusesLimitsTheRouterWouldRefuse() {
    assertThatThrownBy(() -> new StaticRoutesFile("a", "m", "h:1", 0, 10, Duration.ofSeconds(1)))
        .hasMessageContaining("maxConcurrency");
    assertThatThrownBy(() -> new StaticRoutesFile("a", "m", "h:1", 1, 10, Duration.ZERO))
        .hasMessageContaining("timeout");
  }
}
