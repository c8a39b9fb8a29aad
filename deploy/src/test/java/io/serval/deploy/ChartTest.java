package io.serval.deploy;

import static io.serval.deploy.Manifests.container;
import static io.serval.deploy.Manifests.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Helm chart, linted and rendered by a real helm 3, default values and every option on. */
class ChartTest {

  private static final String ALL_ON =
      Path.of(System.getProperty("serval.deploy.dir", "."))
          .resolve("src/test/resources/values-all-on.yaml")
          .toString();

  private static Manifests defaults;
  private static Manifests allOn;

  @BeforeAll
  static void render() {
    defaults = Helm.template();
    allOn = Helm.template("--values", ALL_ON);
  }

  @Test
  void lintsCleanWithDefaultsAndWithEveryOptionOn() {
    assertThat(Helm.run("lint", "--strict", Helm.CHART.toString()))
        .contains("1 chart(s) linted, 0 chart(s) failed");
    assertThat(Helm.run("lint", "--strict", Helm.CHART.toString(), "--values", ALL_ON))
        .contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @Test
  void installsOperatorRouterAndAutoscaler() {
    for (String c : List.of("operator", "router", "autoscaler")) {
      String name = "serval-" + c;
      JsonNode d = defaults.get("Deployment", name);
      assertThat(d.path("spec").path("template").path("spec").path("serviceAccountName").asText())
          .isEqualTo(name);
      assertThat(defaults.has("ServiceAccount", name)).isTrue();
      assertThat(defaults.has("Service", name)).isTrue();
      assertThat(container(d).path("image").asText()).isEqualTo("ghcr.io/serval/" + c + ":0.1.0");
    }
    assertThat(defaults.ofKind("Deployment")).hasSize(3);
  }

  @Test
  void everyServiceHasHealthProbesOnItsQuarkusEndpoints() {
    for (JsonNode d : defaults.ofKind("Deployment")) {
      JsonNode c = container(d);
      assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
          .as(d.path("metadata").path("name").asText())
          .isEqualTo("/q/health/ready");
      assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/q/health/live");
      assertThat(c.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("http");
      assertThat(c.path("resources").path("requests").has("cpu")).isTrue();
      assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true))
          .isFalse();
    }
  }

  @Test
  void theOperatorRunsTheKubernetesRuntimeAsItsOwnIdentity() {
    JsonNode d = defaults.get("Deployment", "serval-operator");
    String props =
        defaults
            .get("ConfigMap", "serval-operator")
            .path("data")
            .path("application.properties")
            .asText();

    assertThat(props)
        .contains("serval.operator.runtime=kubernetes")
        .contains("serval.operator.kubernetes.predictor-image=ghcr.io/serval/predictor:0.1.0")
        .contains("serval.operator.kubernetes.leader-election.enabled=true");
    assertThat(env(container(d), "SERVAL_OPERATOR_KUBERNETES_NAMESPACE"))
        .contains("metadata.namespace");
    assertThat(env(container(d), "SERVAL_OPERATOR_KUBERNETES_LEADER_ELECTION_IDENTITY"))
        .contains("metadata.name");
    assertThat(
            env(
                container(defaults.get("Deployment", "serval-router")),
                "SERVAL_ROUTER_OPERATOR_ADDRESS"))
        .isEqualTo("serval-operator:8091");
    assertThat(
            env(
                container(defaults.get("Deployment", "serval-autoscaler")),
                "SERVAL_AUTOSCALER_OPERATOR_ADDRESS"))
        .isEqualTo("serval-operator:8091");
  }

  @Test
  void theOperatorGetsExactlyTheAccessItUsesAndNobodyElseGetsAny() {
    assertThat(defaults.ofKind("ClusterRole")).isEmpty();
    assertThat(defaults.ofKind("ClusterRoleBinding")).isEmpty();
    assertThat(defaults.ofKind("Role")).hasSize(1);
    JsonNode binding = defaults.get("RoleBinding", "serval-operator");
    assertThat(binding.path("subjects")).hasSize(1);
    assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("serval-operator");
    assertThat(binding.path("roleRef").path("name").asText()).isEqualTo("serval-operator");

    Set<String> rules = new TreeSet<>();
    for (JsonNode r : defaults.get("Role", "serval-operator").path("rules")) {
      for (JsonNode g : r.path("apiGroups")) {
        for (JsonNode res : r.path("resources")) {
          for (JsonNode v : r.path("verbs")) {
            rules.add(g.asText() + "/" + res.asText() + ":" + v.asText());
          }
        }
      }
    }
    Set<String> expected = new TreeSet<>();
    for (String res : List.of("realtimeapis", "trafficsplitters")) {
      for (String v : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
        expected.add("serving.serval.io/" + res + ":" + v);
      }
      expected.add("serving.serval.io/" + res + "/status:get");
      expected.add("serving.serval.io/" + res + "/status:patch");
    }
    for (String v : List.of("get", "list", "watch", "create", "update", "delete")) {
      expected.add("apps/deployments:" + v);
    }
    for (String v : List.of("get", "update", "patch")) {
      expected.add("apps/deployments/scale:" + v);
    }
    for (String v : List.of("get", "list", "watch", "create", "delete")) {
      expected.add("/services:" + v);
    }
    for (String v : List.of("get", "list", "watch")) {
      expected.add("discovery.k8s.io/endpointslices:" + v);
    }
    expected.addAll(
        List.of(
            "/pods:list",
            "/pods/log:get",
            "/events:create",
            "coordination.k8s.io/leases:get",
            "coordination.k8s.io/leases:create",
            "coordination.k8s.io/leases:update"));
    assertThat(rules).isEqualTo(expected);
    assertThat(rules).noneMatch(r -> r.contains("*") || r.contains("secrets"));

    for (String c : List.of("router", "autoscaler")) {
      assertThat(
              defaults
                  .get("ServiceAccount", "serval-" + c)
                  .path("automountServiceAccountToken")
                  .asBoolean(true))
          .isFalse();
      assertThat(
              defaults
                  .get("Deployment", "serval-" + c)
                  .path("spec")
                  .path("template")
                  .path("spec")
                  .path("automountServiceAccountToken")
                  .asBoolean(true))
          .isFalse();
    }
  }

  @Test
  void theManagementApiStaysInsideTheClusterByDefault() {
    JsonNode operator = defaults.get("Service", "serval-operator");
    assertThat(operator.path("spec").path("type").asText()).isEqualTo("ClusterIP");

    JsonNode router = defaults.get("Service", "serval-router");
    assertThat(router.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
    assertThat(router.path("spec").has("loadBalancerSourceRanges")).isFalse();
    assertThat(router.path("metadata").has("annotations")).isFalse();
    assertThat(ports(router)).containsExactly("http:80->http", "grpc:8081->grpc");
  }

  @Test
  void theRouterServiceCanBeInternalAndLimitedToSourceRanges() {
    JsonNode router = allOn.get("Service", "serval-router");

    assertThat(router.path("spec").path("loadBalancerSourceRanges").toString())
        .isEqualTo("[\"10.0.0.0/8\",\"192.168.0.0/16\"]");
    JsonNode a = router.path("metadata").path("annotations");
    assertThat(a.path("service.beta.kubernetes.io/aws-load-balancer-scheme").asText())
        .isEqualTo("internal");
    assertThat(a.path("networking.gke.io/load-balancer-type").asText()).isEqualTo("Internal");
    assertThat(a.path("service.beta.kubernetes.io/azure-load-balancer-internal").asText())
        .isEqualTo("true");
    assertThat(a.path("example.com/team").asText()).isEqualTo("ml");
  }

  @Test
  void optionalPiecesAppearOnlyWhenTurnedOn() {
    assertThat(defaults.ofKind("NetworkPolicy")).isEmpty();
    assertThat(defaults.ofKind("ServiceMonitor")).isEmpty();
    assertThat(defaults.ofKind("PersistentVolumeClaim")).isEmpty();
    assertThat(defaults.ofKind("PodDisruptionBudget"))
        .extracting(p -> p.path("metadata").path("name").asText())
        .containsExactly("serval-router");

    assertThat(allOn.ofKind("PodDisruptionBudget")).hasSize(3);
    assertThat(
            allOn
                .get("PodDisruptionBudget", "serval-router")
                .path("spec")
                .path("minAvailable")
                .asInt())
        .isEqualTo(2);
    JsonNode sm = allOn.get("ServiceMonitor", "serval");
    assertThat(sm.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
    assertThat(sm.path("spec").path("endpoints").get(0).path("path").asText())
        .isEqualTo("/q/metrics");
    assertThat(
            allOn
                .get("PersistentVolumeClaim", "serval-operator")
                .path("spec")
                .path("storageClassName")
                .asText())
        .isEqualTo("fast");
    JsonNode operator = allOn.get("Deployment", "serval-operator");
    assertThat(operator.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(operator.path("spec").path("template").path("spec").path("volumes").toString())
        .contains("persistentVolumeClaim");
    assertThat(
            allOn
                .get("ConfigMap", "serval-operator")
                .path("data")
                .path("application.properties")
                .asText())
        .contains("serval.operator.kubernetes.node-group-priority.spot=100")
        .contains("serval.operator.kubernetes.node-group-priority.on-demand=1")
        .contains("serval.operator.router-url=https://models.example.com");
  }

  @Test
  void theNetworkPolicyLetsOnlyTheRouterReachPredictors() {
    JsonNode np = allOn.get("NetworkPolicy", "serval-predictors");

    assertThat(
            np.path("spec")
                .path("podSelector")
                .path("matchLabels")
                .path("app.kubernetes.io/name")
                .asText())
        .isEqualTo("serval-predictor");
    assertThat(np.path("spec").path("policyTypes").toString()).isEqualTo("[\"Ingress\"]");
    JsonNode fromRouter = np.path("spec").path("ingress").get(0);
    assertThat(fromRouter.path("from")).hasSize(1);
    assertThat(
            fromRouter
                .path("from")
                .get(0)
                .path("podSelector")
                .path("matchLabels")
                .path("app.kubernetes.io/name")
                .asText())
        .isEqualTo("serval-router");
    assertThat(fromRouter.path("ports").get(0).path("port").asInt()).isEqualTo(8001);
    JsonNode metrics = np.path("spec").path("ingress").get(1);
    assertThat(metrics.path("ports").get(0).path("port").asInt()).isEqualTo(8000);
  }

  @Test
  void theCrdsInstallWithTheChart() {
    Manifests withCrds = Helm.template("--include-crds");
    JsonNode apis = withCrds.get("CustomResourceDefinition", "realtimeapis.serving.serval.io");

    assertThat(apis.path("spec").path("names").path("shortNames").toString()).contains("rapi");
    JsonNode version = apis.path("spec").path("versions").get(0);
    assertThat(version.path("subresources").has("status")).isTrue();
    List<String> columns = new ArrayList<>();
    version.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));
    assertThat(columns).contains("Ready", "Replicas", "Revision");
    assertThat(withCrds.has("CustomResourceDefinition", "trafficsplitters.serving.serval.io"))
        .isTrue();
  }

  private static List<String> ports(JsonNode service) {
    List<String> out = new ArrayList<>();
    service
        .path("spec")
        .path("ports")
        .forEach(
            p ->
                out.add(
                    p.path("name").asText()
                        + ":"
                        + p.path("port").asText()
                        + "->"
                        + p.path("targetPort").asText()));
    return out;
  }
}
