package io.serval.deploy;

import static io.serval.deploy.Manifests.container;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** A property of a pom, as written there (the first definition). */
  private static String pomProperty(Path pom, String name) throws IOException {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">")
            .matcher(Files.readString(pom));
    assertThat(m.find()).as(name + " in " + pom).isTrue();
    return m.group(1);
  }

  @Test
  void theDefaultImagesAreTheOnesMvnwPimagesPackageBuilds() throws IOException {
    Path root = Helm.DEPLOY.toAbsolutePath().normalize().getParent();
    String registry = pomProperty(root.resolve("pom.xml"), "serval.image.registry");
    String tag = pomProperty(root.resolve("pom.xml"), "serval.image.tag");
    Manifests m = Helm.template();
    for (String service : List.of("operator", "router", "autoscaler", "predictor")) {
      String built =
          pomProperty(root.resolve(service + "-service/pom.xml"), "quarkus.container-image.image")
              .replace("${serval.image.registry}", registry)
              .replace("${serval.image.tag}", tag);
      assertThat(built).isEqualTo(registry + "/" + service + ":" + tag);
      if (service.equals("predictor")) {
        assertThat(props(m)).contains("serval.operator.kubernetes.predictor-image=" + built);
      } else {
        assertThat(container(m.get("Deployment", "serval-" + service)).path("image").asText())
            .isEqualTo(built);
      }
    }
  }
}
