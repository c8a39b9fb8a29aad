package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.spec.Resource;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.spec.TrafficSplitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example under deploy/examples passes the operator's own parser and validator. */
class ExamplesTest {

  private static final Path EXAMPLES = Helm.DEPLOY.resolve("examples");

  private static List<Resource> parse(String file) throws IOException {
    return new SpecParser().parse(Files.readString(EXAMPLES.resolve(file)));
  }

  @Test
  void everyExampleIsValid() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yamls).hasSizeGreaterThanOrEqualTo(4);
      for (Path p : yamls) {
        assertThat(new SpecParser().parse(Files.readString(p))).as(p.toString()).isNotEmpty();
      }
    }
  }

  @Test
  void theCanaryExampleShiftsTrafficInSteps() throws IOException {
    RealtimeApi api = (RealtimeApi) parse("canary-rollout.yaml").getFirst();

    assertThat(api.spec().rollout().strategy().name()).isEqualTo("Canary");
    assertThat(api.spec().rollout().steps()).hasSizeGreaterThan(1).endsWith(100);
  }

  @Test
  void theGpuExampleAsksForAGpuOnSpotThenOnDemandNodes() throws IOException {
    RealtimeApi api = (RealtimeApi) parse("gpu-node-groups.yaml").getFirst();

    assertThat(api.spec().compute().gpu()).isEqualTo(1);
    assertThat(api.spec().compute().nodeGroups()).hasSizeGreaterThan(1);
  }

  @Test
  void theSplitterExampleNamesItsApis() throws IOException {
    assertThat(parse("splitter.yaml")).filteredOn(r -> r instanceof TrafficSplitter).hasSize(1);
  }
}
