package io.serval.operator.runtime.kubernetes;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.serval.operator.api.ApiToken;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.runtime.kubernetes.crd.CustomResourceKinds;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * serval.operator.runtime=kubernetes in the running application: the runtime is the Kubernetes one,
 * and a deploy through the management API becomes a custom resource and a Deployment.
 */
@QuarkusTest
@TestProfile(KubernetesRuntimeWiringTest.KubernetesProfile.class)
class KubernetesRuntimeWiringTest {

  public static class KubernetesProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "serval.operator.runtime", "kubernetes",
          "serval.operator.kubernetes.leader-election.enabled", "false",
          "serval.operator.kubernetes.reconcile-interval", "200ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(MockApiServerResource.class));
    }
  }

  @Inject ReplicaRuntime runtime;
  @Inject ApiToken token;

  private final KubernetesClient client = MockApiServerResource.client();

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void aDeployThroughTheManagementApiRunsOnKubernetes() {
    assertThat(runtime).isInstanceOf(KubernetesRuntime.class);
    String yaml =
        """
        kind: RealtimeApi
        metadata: {name: wired}
        spec:
          model: {uri: "https://models.example/m.onnx"}
        """;

    given()
        .header("Authorization", "Bearer " + token.value())
        .contentType("application/yaml")
        .body(yaml.getBytes(StandardCharsets.UTF_8))
        .post("/v1/deploy")
        .then()
        .statusCode(200);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client
                        .genericKubernetesResources(CustomResourceKinds.REALTIME_API)
                        .inNamespace("test")
                        .withName("wired")
                        .get()
                    != null);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.apps().deployments().inNamespace("test").list().getItems().size() == 1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "ReplicasNotReady"
                    .equals(
                        given()
                            .header("Authorization", "Bearer " + token.value())
                            .get("/v1/apis/wired")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getString("status.conditions.find { it.type == 'Ready' }.reason")));
  }
}
