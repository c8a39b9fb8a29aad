package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRDs are the ones the operator's build generates from its Java model (fabric8 CRD
 * generator), byte for byte. On failure, copy them: cp
 * operator-service/target/classes/META-INF/fabric8/*.yml deploy/helm/serval/crds/
 */
class CrdDriftTest {

  private static final List<String> CRDS =
      List.of("realtimeapis.serving.serval.io-v1.yml", "trafficsplitters.serving.serval.io-v1.yml");

  @Test
  void chartCrdsMatchTheGeneratedOnes() throws IOException {
    for (String crd : CRDS) {
      String generated;
      try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + crd)) {
        assertThat(in).as("generated %s on the operator's classpath", crd).isNotNull();
        generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String inChart = Files.readString(Helm.CHART.resolve("crds").resolve(crd));
      assertThat(inChart)
          .as("deploy/helm/serval/crds/%s drifted from the generated CRD", crd)
          .isEqualTo(generated);
    }
  }

  @Test
  void theChartHoldsNoOtherCrds() throws IOException {
    try (Stream<Path> files = Files.list(Helm.CHART.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(CRDS);
    }
  }
}
