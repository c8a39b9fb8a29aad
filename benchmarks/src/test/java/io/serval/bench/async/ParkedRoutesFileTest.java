package io.serval.bench.async;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ParkedRoutesFileTest {
  @Test
  void oneApiWithARevisionAndNoReplica() throws Exception {
    JsonNode root = new ObjectMapper().readTree(new ParkedRoutesFile("minilm").render());
    JsonNode api = root.path("apis").get(0);
    assertThat(api.path("name").asText()).isEqualTo("minilm");
    assertThat(api.path("revisions").get(0).path("trafficPercent").asInt()).isEqualTo(100);
    assertThat(api.path("revisions").get(0).path("endpoints").isArray()).isTrue();
    assertThat(api.path("revisions").get(0).path("endpoints").size()).isZero();
  }
}
