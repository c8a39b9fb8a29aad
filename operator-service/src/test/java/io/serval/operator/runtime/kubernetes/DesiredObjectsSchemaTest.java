package io.serval.operator.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.serval.operator.runtime.kubernetes.desired.PodSettings;
import io.serval.operator.runtime.kubernetes.desired.RevisionRef;
import io.serval.operator.runtime.kubernetes.desired.RevisionResources;
import io.serval.operator.spec.BatchingSpec;
import io.serval.operator.spec.ComputeSpec;
import io.serval.operator.spec.ModelSpec;
import io.serval.operator.spec.PredictorSpec;
import io.serval.operator.state.RevisionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Deployment and Service the operator builds for a revision, as JSON on the wire, fit
 * Kubernetes' schema of their kind with unknown fields refused (what the API server's strict field
 * validation checks): nothing lands in fabric8's catch-all "additional properties".
 */
class DesiredObjectsSchemaTest {

  /** fabric8's model with its {@code @JsonAnySetter} ignored: an unknown field fails the parse. */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .annotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                  return Boolean.FALSE;
                }
              })
          .build();

  private static final RevisionRef REF = new RevisionRef("minilm", "0123456789");

  /** Every optional part on: node groups with priorities, a GPU, tracing, pull secrets. */
  private final RevisionResources resources =
      new RevisionResources(
          new PodSettings(
              "registry.internal/predictor:0.1.0",
              "IfNotPresent",
              Optional.of("predictor"),
              8000,
              8001,
              Duration.ofSeconds(5),
              Duration.ofSeconds(30),
              "serval.io/node-group",
              Map.of("spot", 100, "on-demand", 1),
              Optional.of("http://otel-collector.monitoring:4317"),
              List.of("regcred")));

  private final RevisionRecord revision =
      new RevisionRecord(
          REF.revision(),
          new ModelSpec("https://models.example/minilm.onnx", "onnx", null),
          new PredictorSpec(2, 3, new BatchingSpec(16, Duration.ofMillis(2), 256)),
          new ComputeSpec("2", "8Gi", 1, 0, List.of("spot", "on-demand")),
          Instant.EPOCH);

  private Deployment deployment() {
    return resources.deployment(
        REF,
        revision,
        2,
        new OwnerReferenceBuilder()
            .withApiVersion("serving.serval.io/v1alpha1")
            .withKind("RealtimeApi")
            .withName("minilm")
            .withUid("uid-1")
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build());
  }

  @Test
  void theRevisionsDeploymentAndServiceFitTheirSchemas() throws Exception {
    JsonNode d = STRICT.readTree(Serialization.asJson(deployment()));
    assertThat(STRICT.treeToValue(d, Deployment.class)).isEqualTo(deployment());
    JsonNode s = STRICT.readTree(Serialization.asJson(resources.service(REF, null)));
    assertThat(STRICT.treeToValue(s, Service.class)).isEqualTo(resources.service(REF, null));
  }

  @Test
  void theCheckRefusesAnUnknownField() throws Exception {
    ObjectNode d = (ObjectNode) STRICT.readTree(Serialization.asJson(deployment()));
    ((ObjectNode) d.path("spec").path("template").path("spec")).put("imagePullSecret", "x");
    assertThatThrownBy(() -> STRICT.treeToValue(d, Deployment.class))
        .hasMessageContaining("imagePullSecret");
  }
}
