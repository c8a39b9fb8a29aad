package io.serval.deploy;

import static io.serval.deploy.Manifests.container;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A registry override for every image, and pull secrets for every pod, the predictors' included.
 */
class ImageSettingsChartTest {

  private static String props(Manifests m) {
    return m.get("ConfigMap", "serval-operator")
        .path("data")
        .path("application.properties")
        .asText();
  }

  @Test
  void globalImageRegistryOverridesTheRegistryOfEveryImage() {
    Manifests m =
        Helm.template(
            "--set", "global.imageRegistry=registry.internal:5000/ml",
            "--set", "image.registry=ignored.example.com");
    for (String c : List.of("operator", "router", "autoscaler")) {
      assertThat(container(m.get("Deployment", "serval-" + c)).path("image").asText())
          .isEqualTo("registry.internal:5000/ml/" + c + ":0.1.0");
    }
    assertThat(props(m))
        .contains(
            "serval.operator.kubernetes.predictor-image=registry.internal:5000/ml/predictor:0.1.0");
    // every image the chart names at all: none left on another registry
    for (JsonNode d : m.ofKind("Deployment")) {
      d.path("spec")
          .path("template")
          .path("spec")
          .path("containers")
          .forEach(
              c -> assertThat(c.path("image").asText()).startsWith("registry.internal:5000/ml/"));
    }
  }

  @Test
  void imageRegistryAloneStillWorks() {
    Manifests m = Helm.template("--set", "image.registry=mirror.example.com/serval");
    assertThat(container(m.get("Deployment", "serval-router")).path("image").asText())
        .isEqualTo("mirror.example.com/serval/router:0.1.0");
    assertThat(props(m)).contains("predictor-image=mirror.example.com/serval/predictor:0.1.0");
  }

  @Test
  void pullSecretsGoOnEveryPodAndToTheOperatorForThePredictors() {
    Manifests m =
        Helm.template(
            "--set", "imagePullSecrets[0].name=regcred",
            "--set", "imagePullSecrets[1].name=mirror-cred");
    for (JsonNode d : m.ofKind("Deployment")) {
      assertThat(d.path("spec").path("template").path("spec").path("imagePullSecrets").toString())
          .as(d.path("metadata").path("name").asText())
          .isEqualTo("[{\"name\":\"regcred\"},{\"name\":\"mirror-cred\"}]");
    }
    assertThat(props(m))
        .contains("serval.operator.kubernetes.image-pull-secrets=regcred,mirror-cred");

    Manifests none = Helm.template();
    assertThat(props(none)).doesNotContain("image-pull-secrets");
    for (JsonNode d : none.ofKind("Deployment")) {
      assertThat(d.path("spec").path("template").path("spec").has("imagePullSecrets")).isFalse();
    }
  }
}
