package io.serval.operator.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.serval.operator.runtime.kubernetes.desired.PodSettings;
import io.serval.operator.runtime.kubernetes.desired.RevisionRef;
import io.serval.operator.runtime.kubernetes.desired.RevisionResources;
import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.RevisionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The chart README shows where the pods of deploy/examples/gpu-node-groups.yaml are scheduled (spot
 * first, on-demand when spot is unavailable): that snippet is what the operator's desired-state
 * builder really makes, with the chart value {@code operator.nodeGroupPriority: {gpu-spot: 100,
 * gpu-on-demand: 1}}. On a change, the failure prints the new snippet to paste.
 */
class NodeGroupsDocTest {

  private static final Path EXAMPLE = Path.of("..", "deploy", "examples", "gpu-node-groups.yaml");
  private static final Path DOC = Path.of("..", "deploy", "helm", "serval", "README.md");
  static final String MARKER =
      "<!-- pod spec of deploy/examples/gpu-node-groups.yaml, checked by NodeGroupsDocTest -->";

  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR))
          .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  static String renderedPlacement() throws Exception {
    RealtimeApi api = (RealtimeApi) new SpecParser().parse(Files.readString(EXAMPLE)).getFirst();
    RevisionResources resources =
        new RevisionResources(
            new PodSettings(
                "ghcr.io/serval/predictor:0.1.0",
                "IfNotPresent",
                Optional.empty(),
                8000,
                8001,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                "serval.io/node-group",
                Map.of("gpu-spot", 100, "gpu-on-demand", 1)));
    PodSpec pod =
        resources
            .deployment(
                new RevisionRef(api.metadata().name(), "r1"),
                RevisionRecord.of("r1", api.spec(), Instant.EPOCH),
                1,
                null)
            .getSpec()
            .getTemplate()
            .getSpec();
    Container c = pod.getContainers().getFirst();
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("affinity", pod.getAffinity());
    shown.put("tolerations", pod.getTolerations());
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", c.getName());
    container.put("resources", c.getResources());
    shown.put("containers", java.util.List.of(container));
    return YAML.writeValueAsString(Map.of("spec", shown));
  }

  @Test
  void theChartReadmeShowsThePodSpecTheOperatorBuildsForTheGpuExample() throws Exception {
    String doc = Files.readString(DOC);
    int at = doc.indexOf(MARKER);
    assertThat(at).as("%s has the marker %s", DOC, MARKER).isPositive();
    int start = doc.indexOf("```yaml\n", at) + "```yaml\n".length();
    int end = doc.indexOf("```", start);
    String expected = renderedPlacement();
    assertThat(doc.substring(start, end))
        .as("the snippet after the marker in %s; paste:%n%s", DOC, expected)
        .isEqualTo(expected);
  }
}
