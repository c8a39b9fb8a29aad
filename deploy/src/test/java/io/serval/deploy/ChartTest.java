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
  void theManagementApiAndTheRouterStayInsideTheClusterByDefault() {
    JsonNode operator = defaults.get("Service", "serval-operator");
    assertThat(operator.path("spec").path("type").asText()).isEqualTo("ClusterIP");
    assertThat(defaults.has("Service", "serval-operator-management")).isFalse();

    JsonNode router = defaults.get("Service", "serval-router");
    assertThat(router.path("spec").path("type").asText()).isEqualTo("ClusterIP");
    assertThat(router.path("spec").has("loadBalancerSourceRanges")).isFalse();
    assertThat(router.path("metadata").has("annotations")).isFalse();
    assertThat(ports(router)).containsExactly("http:80->http", "grpc:8081->grpc");

    // even when the operator's type was once configurable, its Service never leaves the cluster
    Manifests asked = Helm.template("--set", "operator.service.type=LoadBalancer");
    assertThat(asked.get("Service", "serval-operator").path("spec").path("type").asText())
        .isEqualTo("ClusterIP");
  }

  @Test
  void theManagementApiCanHaveALoadBalancerOfItsOwnWithoutTheControlPlanePort() {
    JsonNode m = allOn.get("Service", "serval-operator-management");
    assertThat(m.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
    assertThat(ports(m)).containsExactly("management:8090->http");
    assertThat(m.path("spec").path("loadBalancerSourceRanges").toString())
        .isEqualTo("[\"10.1.0.0/16\"]");
    JsonNode a = m.path("metadata").path("annotations");
    assertThat(a.path("service.beta.kubernetes.io/aws-load-balancer-scheme").asText())
        .isEqualTo("internal");
    assertThat(a.path("networking.gke.io/load-balancer-type").asText()).isEqualTo("Internal");
    assertThat(a.path("service.beta.kubernetes.io/azure-load-balancer-internal").asText())
        .isEqualTo("true");
    assertThat(a.path("example.com/team").asText()).isEqualTo("platform");
    assertThat(m.path("spec").path("selector").path("app.kubernetes.io/name").asText())
        .isEqualTo("serval-operator");
    // a public management load balancer only when asked for
    Manifests publicLb =
        Helm.template(
            "--set", "operator.managementService.enabled=true",
            "--set", "operator.managementService.internal=false");
    assertThat(
            publicLb
                .get("Service", "serval-operator-management")
                .path("metadata")
                .has("annotations"))
        .isFalse();
  }

  @Test
  void thePlatformTokenComesFromASecretMountedAsAFileInEveryPlatformPod() {
    JsonNode secret = defaults.get("Secret", "serval-platform-token");
    String token =
        new String(
            java.util.Base64.getDecoder().decode(secret.path("data").path("token").asText()),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(token).hasSize(48).matches("[A-Za-z0-9]+");
    for (String c : List.of("operator", "router", "autoscaler")) {
      JsonNode d = defaults.get("Deployment", "serval-" + c);
      assertThat(env(container(d), "SERVAL_PLATFORM_TOKEN_FILE"))
          .isEqualTo("/etc/serval/platform/token");
      assertThat(container(d).path("volumeMounts").toString())
          .contains("\"name\":\"platform-token\",\"mountPath\":\"/etc/serval/platform\"");
      assertThat(volume(d, "platform-token").path("secret").path("secretName").asText())
          .isEqualTo("serval-platform-token");
    }
    assertThat(
            new String(
                java.util.Base64.getDecoder()
                    .decode(
                        allOn
                            .get("Secret", "serval-platform-token")
                            .path("data")
                            .path("token")
                            .asText()),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("a-platform-token-of-the-test");

    Manifests existing = Helm.template("--set", "platformToken.existingSecret=my-token");
    assertThat(existing.has("Secret", "serval-platform-token")).isFalse();
    assertThat(
            volume(existing.get("Deployment", "serval-router"), "platform-token")
                .path("secret")
                .path("secretName")
                .asText())
        .isEqualTo("my-token");
  }

  @Test
  void everyOperatorReplicaReadsTheSameManagementTokensFromOneSecret() {
    JsonNode secret = defaults.get("Secret", "serval-management-token");
    java.util.function.Function<String, String> value =
        k ->
            new String(
                java.util.Base64.getDecoder().decode(secret.path("data").path(k).asText()),
                java.nio.charset.StandardCharsets.UTF_8);
    assertThat(value.apply("token")).hasSize(48).matches("[A-Za-z0-9]+");
    assertThat(value.apply("read-token")).hasSize(48).isNotEqualTo(value.apply("token"));
    JsonNode operator = defaults.get("Deployment", "serval-operator");
    assertThat(env(container(operator), "SERVAL_OPERATOR_AUTH_TOKEN_FILE"))
        .isEqualTo("/etc/serval/management/token");
    assertThat(env(container(operator), "SERVAL_OPERATOR_AUTH_READ_TOKEN_FILE"))
        .isEqualTo("/etc/serval/management/read-token");
    assertThat(volume(operator, "management-token").path("secret").path("secretName").asText())
        .isEqualTo("serval-management-token");

    Manifests existing = Helm.template("--set", "managementToken.existingSecret=mgmt");
    assertThat(existing.has("Secret", "serval-management-token")).isFalse();
    assertThat(
            volume(existing.get("Deployment", "serval-operator"), "management-token")
                .path("secret")
                .path("secretName")
                .asText())
        .isEqualTo("mgmt");
  }

  @Test
  void apiKeysComeFromASecretTheChartCreatesOrAnExistingOne() {
    JsonNode router = container(defaults.get("Deployment", "serval-router"));
    assertThat(env(router, "SERVAL_ROUTER_ACCESS_API_KEYS")).isNull();
    assertThat(defaults.has("Secret", "serval-router-api-keys")).isFalse();

    JsonNode keys = allOn.get("Secret", "serval-router-api-keys");
    assertThat(
            new String(
                java.util.Base64.getDecoder().decode(keys.path("data").path("api-keys").asText()),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("key-one,key-two");
    assertThat(
            env(
                container(allOn.get("Deployment", "serval-router")),
                "SERVAL_ROUTER_ACCESS_API_KEYS"))
        .contains("\"name\":\"serval-router-api-keys\"")
        .contains("\"key\":\"api-keys\"");

    Manifests existing =
        Helm.template(
            "--set", "router.apiKeys.existingSecret=team-keys", "--set", "router.apiKeys.key=keys");
    assertThat(existing.has("Secret", "serval-router-api-keys")).isFalse();
    assertThat(
            env(
                container(existing.get("Deployment", "serval-router")),
                "SERVAL_ROUTER_ACCESS_API_KEYS"))
        .contains("\"name\":\"team-keys\"")
        .contains("\"key\":\"keys\"");
  }

  @Test
  void severalRoutersOnSqliteHaveAsyncAndBatchOffForASharedStoreIsNeeded() {
    // the default: two routers, each its own SQLite file: a result would be found on one only
    JsonNode two = container(defaults.get("Deployment", "serval-router"));
    assertThat(env(two, "SERVAL_ROUTER_ASYNC_ENABLED")).isEqualTo("false");
    assertThat(env(two, "SERVAL_ROUTER_BATCH_ENABLED")).isEqualTo("false");

    JsonNode one =
        container(Helm.template("--set", "router.replicas=1").get("Deployment", "serval-router"));
    assertThat(env(one, "SERVAL_ROUTER_ASYNC_ENABLED")).isNull();
    assertThat(env(one, "SERVAL_ROUTER_BATCH_ENABLED")).isNull();

    JsonNode shared =
        container(
            Helm.template(
                    "--set", "router.asyncStore.kind=postgresql",
                    "--set", "router.asyncStore.jdbcUrl=jdbc:postgresql://db:5432/serval",
                    "--set", "router.asyncStore.existingSecret=serval-db")
                .get("Deployment", "serval-router"));
    assertThat(env(shared, "SERVAL_ROUTER_ASYNC_ENABLED")).isNull();
    assertThat(env(shared, "SERVAL_ROUTER_BATCH_ENABLED")).isNull();
  }

  @Test
  void theAsyncStoreIsAFileInThePodOrASharedPostgresqlWithItsPasswordFromASecret() {
    // sqlite: the root filesystem is read-only, so the file lives in an emptyDir
    JsonNode d = defaults.get("Deployment", "serval-router");
    assertThat(env(container(d), "SERVAL_ROUTER_ASYNC_STORE_KIND")).isNull();
    assertThat(env(container(d), "SERVAL_ROUTER_ASYNC_STORE_SQLITE_FILE"))
        .isEqualTo("/var/lib/serval/async/async-requests.db");
    assertThat(volume(d, "async-store").has("emptyDir")).isTrue();
    assertThat(container(d).path("volumeMounts").toString())
        .contains("{\"name\":\"async-store\",\"mountPath\":\"/var/lib/serval/async\"}");

    Manifests pg =
        Helm.template(
            "--set", "router.asyncStore.kind=postgresql",
            "--set", "router.asyncStore.jdbcUrl=jdbc:postgresql://db.data:5432/serval",
            "--set", "router.asyncStore.user=router",
            "--set", "router.asyncStore.existingSecret=serval-db",
            "--set", "router.asyncStore.passwordKey=pw",
            "--set", "router.asyncStore.maxConnections=4");
    JsonNode p = pg.get("Deployment", "serval-router");
    JsonNode c = container(p);
    assertThat(env(c, "SERVAL_ROUTER_ASYNC_STORE_KIND")).isEqualTo("postgresql");
    assertThat(env(c, "SERVAL_ROUTER_ASYNC_STORE_JDBC_URL"))
        .isEqualTo("jdbc:postgresql://db.data:5432/serval");
    assertThat(env(c, "SERVAL_ROUTER_ASYNC_STORE_USER")).isEqualTo("router");
    assertThat(env(c, "SERVAL_ROUTER_ASYNC_STORE_PASSWORD_FILE"))
        .isEqualTo("/etc/serval/async-store/pw");
    assertThat(env(c, "SERVAL_ROUTER_ASYNC_STORE_POOL_MAX_SIZE")).isEqualTo("4");
    assertThat(env(c, "SERVAL_ROUTER_ASYNC_STORE_SQLITE_FILE")).isNull();
    assertThat(c.path("env").toString())
        .as("the database Secret is mounted, never put in the environment")
        .doesNotContain("serval-db");
    JsonNode secret = volume(p, "async-store").path("secret");
    assertThat(secret.path("secretName").asText()).isEqualTo("serval-db");
    assertThat(secret.path("items").toString()).isEqualTo("[{\"key\":\"pw\",\"path\":\"pw\"}]");
    assertThat(secret.path("defaultMode").asInt()).isEqualTo(0400);
    assertThat(c.path("volumeMounts").toString())
        .contains(
            "{\"name\":\"async-store\",\"mountPath\":\"/etc/serval/async-store\",\"readOnly\":true}");
    // The chart creates no database Secret: an existing one is required, and so is the URL.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Helm.template(
                    "--set", "router.asyncStore.kind=postgresql",
                    "--set", "router.asyncStore.jdbcUrl=jdbc:postgresql://db:5432/serval"))
        .hasMessageContaining("router.asyncStore.existingSecret");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Helm.template(
                    "--set", "router.asyncStore.kind=postgresql",
                    "--set", "router.asyncStore.existingSecret=serval-db"))
        .hasMessageContaining("router.asyncStore.jdbcUrl");
  }

  @Test
  void routerTlsComesFromATlsSecretAndTurnsPlainHttpOff() {
    JsonNode d = allOn.get("Deployment", "serval-router");
    JsonNode c = container(d);
    assertThat(env(c, "QUARKUS_PROFILE")).isEqualTo("prod,tls");
    assertThat(env(c, "SERVAL_ROUTER_TLS_CERTIFICATE")).isEqualTo("/etc/serval/tls/tls.crt");
    assertThat(env(c, "SERVAL_ROUTER_TLS_KEY")).isEqualTo("/etc/serval/tls/tls.key");
    assertThat(volume(d, "tls").path("secret").path("secretName").asText())
        .isEqualTo("serval-router-tls");
    List<String> containerPorts = new ArrayList<>();
    c.path("ports")
        .forEach(
            p ->
                containerPorts.add(
                    p.path("name").asText() + ":" + p.path("containerPort").asInt()));
    assertThat(containerPorts).containsExactly("https:8443", "grpc:8081");
    assertThat(c.path("readinessProbe").path("httpGet").path("scheme").asText()).isEqualTo("HTTPS");
    assertThat(c.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("https");
    assertThat(ports(allOn.get("Service", "serval-router")))
        .containsExactly("https:80->https", "grpc:8081->grpc");
    assertThat(env(container(defaults.get("Deployment", "serval-router")), "QUARKUS_PROFILE"))
        .isNull();
    // metrics are still scraped, over HTTPS
    assertThat(allOn.get("ServiceMonitor", "serval").path("spec").path("endpoints").toString())
        .contains("\"port\":\"https\",\"scheme\":\"https\"");
    // TLS without a certificate is refused at render time
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Helm.template("--set", "router.tls.enabled=true"))
        .hasMessageContaining("router.tls.secretName");
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
  void networkPoliciesAreOnByDefaultAndCanBeTurnedOff() {
    assertThat(defaults.ofKind("NetworkPolicy"))
        .extracting(p -> p.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder("serval-predictors", "serval-operator", "serval-autoscaler");
    assertThat(Helm.template("--set", "networkPolicy.enabled=false").ofKind("NetworkPolicy"))
        .isEmpty();
  }

  @Test
  void controlPlanePortsAreOpenToPlatformPodsOnly() {
    for (String c : List.of("operator", "autoscaler")) {
      JsonNode np = defaults.get("NetworkPolicy", "serval-" + c);
      assertThat(
              np.path("spec")
                  .path("podSelector")
                  .path("matchLabels")
                  .path("app.kubernetes.io/name")
                  .asText())
          .isEqualTo("serval-" + c);
      JsonNode grpc = np.path("spec").path("ingress").get(0);
      assertThat(grpc.path("ports").get(0).path("port").asInt())
          .isEqualTo(c.equals("operator") ? 8091 : 8071);
      assertThat(grpc.path("from")).hasSize(1);
      JsonNode peer = grpc.path("from").get(0).path("podSelector");
      assertThat(peer.path("matchLabels").path("app.kubernetes.io/instance").asText())
          .isEqualTo("serval");
      assertThat(peer.path("matchExpressions").get(0).path("values").toString())
          .isEqualTo("[\"serval-operator\",\"serval-router\",\"serval-autoscaler\"]");
      // no rule opens the gRPC port to anyone else
      for (JsonNode rule : np.path("spec").path("ingress")) {
        if (rule != grpc) {
          assertThat(rule.path("ports").toString()).doesNotContain("8091").doesNotContain("8071");
        }
      }
    }
    // the management API: anyone by default (it needs its token), managementFrom when given
    JsonNode mgmt =
        defaults.get("NetworkPolicy", "serval-operator").path("spec").path("ingress").get(1);
    assertThat(mgmt.path("ports").get(0).path("port").asInt()).isEqualTo(8090);
    assertThat(mgmt.has("from")).isFalse();
    JsonNode limited =
        allOn.get("NetworkPolicy", "serval-operator").path("spec").path("ingress").get(1);
    assertThat(limited.path("from").toString()).contains("\"kubernetes.io/metadata.name\":\"ops\"");
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

  private static JsonNode volume(JsonNode deployment, String name) {
    for (JsonNode v : deployment.path("spec").path("template").path("spec").path("volumes")) {
      if (name.equals(v.path("name").asText())) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
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

  @Test
  void anOtlpEndpointTurnsTracingOnInEveryServiceAndThePredictors() {
    for (String c : List.of("operator", "router", "autoscaler")) {
      JsonNode on = container(allOn.get("Deployment", "serval-" + c));
      assertThat(env(on, "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT"))
          .as(c)
          .isEqualTo("http://otel-collector.monitoring:4317");
      assertThat(
              env(
                  container(defaults.get("Deployment", "serval-" + c)),
                  "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT"))
          .as("%s without tracing.otlpEndpoint", c)
          .isNull();
    }
    assertThat(
            env(
                container(allOn.get("Deployment", "serval-operator")),
                "SERVAL_OPERATOR_KUBERNETES_PREDICTOR_OTLP_ENDPOINT"))
        .isEqualTo("http://otel-collector.monitoring:4317");
  }

  @Test
  void anObjectStorageSecretIsPassedToThePredictorsByName() {
    Manifests withSecret = Helm.template("--set", "objectStorage.secretName=model-store");

    assertThat(
            env(
                container(withSecret.get("Deployment", "serval-operator")),
                "SERVAL_OPERATOR_KUBERNETES_PREDICTOR_S3_SECRET"))
        .isEqualTo("model-store");
    assertThat(
            env(
                container(defaults.get("Deployment", "serval-operator")),
                "SERVAL_OPERATOR_KUBERNETES_PREDICTOR_S3_SECRET"))
        .as("no secret configured")
        .isNull();
  }
}
