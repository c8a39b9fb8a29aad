package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object the chart renders, with the default values and each documented variant, fits
 * Kubernetes' API schema of its kind (strict: unknown fields refused), as a cluster would check it
 * on apply; not only helm lint.
 */
class ChartSchemaTest {

  private static final Path TEST_VALUES = Helm.DEPLOY.resolve("src/test/resources");

  static Stream<List<String>> variants() {
    return Stream.of(
        List.of(),
        List.of("--include-crds"),
        List.of("--values", TEST_VALUES.resolve("values-all-on.yaml").toString()),
        List.of("--set", "router.tls.enabled=true", "--set", "router.tls.secretName=tls"),
        List.of("--set", "tracing.otlpEndpoint=http://otel-collector.monitoring:4317"),
        List.of("--set", "serviceMonitor.enabled=true"),
        List.of(
            "--set", "operator.managementService.enabled=true",
            "--set", "operator.managementService.internal=false"),
        List.of("--set", "router.service.type=LoadBalancer"),
        List.of("--set", "operator.persistence.enabled=true"),
        List.of("--set", "router.apiKeys.existingSecret=keys"),
        List.of(
            "--set", "platformToken.existingSecret=t", "--set", "managementToken.existingSecret=m"),
        List.of("--set", "networkPolicy.enabled=false"),
        List.of(
            "--set", "router.asyncStore.kind=postgresql",
            "--set", "router.asyncStore.jdbcUrl=jdbc:postgresql://db:5432/serval",
            "--set", "router.asyncStore.existingSecret=serval-db"));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyRenderedObjectFitsItsKubernetesSchema(List<String> args) {
    Manifests rendered = Helm.template(args.toArray(String[]::new));
    assertThat(rendered.all()).isNotEmpty();
    KubernetesSchemas.checkAll(rendered);
  }

  @Test
  void aMisspeltFieldIsRefused() {
    JsonNode d = deployment();
    ((com.fasterxml.jackson.databind.node.ObjectNode) Manifests.container(d))
        .put("imagePullPolicyy", "Always");
    assertThatThrownBy(() -> KubernetesSchemas.check(d))
        .hasMessageContaining("Deployment serval-router")
        .hasMessageContaining("imagePullPolicyy");
  }

  @Test
  void aWrongNestingIsRefused() {
    JsonNode d = deployment();
    // replicas belongs to the Deployment's spec, not to the pod template's
    ((com.fasterxml.jackson.databind.node.ObjectNode) d.path("spec").path("template").path("spec"))
        .put("replicas", 2);
    assertThatThrownBy(() -> KubernetesSchemas.check(d)).hasMessageContaining("replicas");
  }

  @Test
  void aWrongTypeIsRefused() {
    JsonNode d = deployment();
    ((com.fasterxml.jackson.databind.node.ObjectNode) d.path("spec")).put("replicas", "two");
    assertThatThrownBy(() -> KubernetesSchemas.check(d)).hasMessageContaining("replicas");

    JsonNode e = deployment();
    // an unquoted number as an env value: the API server refuses it, helm does not
    ((com.fasterxml.jackson.databind.node.ObjectNode) Manifests.container(e).path("env").get(0))
        .put("value", 8090);
    assertThatThrownBy(() -> KubernetesSchemas.check(e)).hasMessageContaining("value");
  }

  @Test
  void anUnknownKindIsRefused() {
    JsonNode d = deployment();
    ((com.fasterxml.jackson.databind.node.ObjectNode) d).put("apiVersion", "apps/v1beta1");
    assertThatThrownBy(() -> KubernetesSchemas.check(d))
        .hasMessageContaining("no schema known for this apiVersion and kind");
  }

  @Test
  void aMisspeltServiceMonitorFieldIsRefused() {
    JsonNode sm =
        Helm.template("--set", "serviceMonitor.enabled=true").get("ServiceMonitor", "serval");
    KubernetesSchemas.check(sm);
    ((com.fasterxml.jackson.databind.node.ObjectNode) sm.path("spec").path("endpoints").get(0))
        .put("intervall", "30s");
    assertThatThrownBy(() -> KubernetesSchemas.check(sm)).hasMessageContaining("intervall");
  }

  private static JsonNode deployment() {
    JsonNode d = Helm.template().get("Deployment", "serval-router");
    KubernetesSchemas.check(d);
    return d;
  }
}
