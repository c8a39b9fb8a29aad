package io.serval.operator.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.kubernetes.crd.CustomResourceKinds;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes runtime against fabric8's mock API server in CRUD mode. The mock server runs no
 * controllers, so the tests play the EndpointSlice controller (ready pods are EndpointSlices they
 * write) and the garbage collector is not there: deletion must clean up by itself.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRuntimeTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String NS = "test";

  KubernetesClient client;

  @TempDir Path stateDir;

  private final List<OperatorRig> rigs = new ArrayList<>();

  @BeforeEach
  void installCrds() {
    for (String crd :
        List.of(
            "realtimeapis.serving.serval.io-v1.yml", "trafficsplitters.serving.serval.io-v1.yml")) {
      try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + crd)) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @AfterEach
  void stopRigs() {
    rigs.forEach(OperatorRig::close);
  }

  private OperatorRig operator(Path dir, Map<String, String> settings) {
    OperatorRig rig = new OperatorRig(client, dir, settings);
    rigs.add(rig);
    return rig.start();
  }

  private OperatorRig operator() {
    return operator(stateDir, Map.of());
  }

  private static final String MINILM =
      """
      apiVersion: serving.serval.io/v1alpha1
      kind: RealtimeApi
      metadata: {name: minilm, namespace: test}
      spec:
        model: {uri: "https://models.example/minilm-v1.onnx"}
        compute: {cpu: 500m, mem: 1Gi}
        autoscaling: {minReplicas: 2, maxReplicas: 4}
        rollout: {strategy: BlueGreen, readyTimeout: 1m}
      """;

  private GenericKubernetesResource apply(String yaml) {
    GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    return client
        .genericKubernetesResources(CustomResourceKinds.REALTIME_API)
        .inNamespace(NS)
        .resource(r)
        .createOr(op -> op.update());
  }

  private GenericKubernetesResource cr(String name) {
    return client
        .genericKubernetesResources(CustomResourceKinds.REALTIME_API)
        .inNamespace(NS)
        .withName(name)
        .get();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> status(String name) {
    GenericKubernetesResource r = cr(name);
    return r == null
        ? Map.of()
        : (Map<String, Object>) r.getAdditionalProperties().getOrDefault("status", Map.of());
  }

  @SuppressWarnings("unchecked")
  private String condition(String name, String type) {
    List<Map<String, Object>> conditions =
        (List<Map<String, Object>>) status(name).getOrDefault("conditions", List.of());
    return conditions.stream()
        .filter(c -> type.equals(c.get("type")))
        .map(c -> c.get("status") + "/" + c.get("reason"))
        .findFirst()
        .orElse(null);
  }

  private List<Deployment> deployments() {
    return client.apps().deployments().inNamespace(NS).list().getItems();
  }

  private List<Service> services() {
    return client.services().inNamespace(NS).list().getItems();
  }

  private List<String> eventReasons() {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .map(Event::getReason)
        .toList();
  }

  /** Plays the EndpointSlice controller: these pods of the revision are now ready. */
  private void markReady(String api, String revision, int pods) {
    Endpoint[] endpoints = new Endpoint[pods];
    for (int i = 0; i < pods; i++) {
      endpoints[i] =
          Slices.ready(
              api + "-" + revision + "-pod" + i,
              "10.1." + revision.hashCode() % 200 + "." + (i + 1));
    }
    client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(NS)
        .resource(Slices.slice(api, revision, endpoints))
        .createOr(op -> op.update());
  }

  private String revisionOf(OperatorRig rig, String api) {
    return rig.registry.api(api).orElseThrow().revision();
  }

  private OperatorRig runningMinilm() {
    apply(MINILM);
    OperatorRig rig = operator();
    await().atMost(WAIT).until(() -> rig.registry.api("minilm").isPresent());
    String rev = revisionOf(rig, "minilm");
    await().atMost(WAIT).until(() -> deployments().size() == 1 && services().size() == 1);
    markReady("minilm", rev, 2);
    await().atMost(WAIT).until(() -> "True/AllReplicasReady".equals(condition("minilm", "Ready")));
    return rig;
  }

  @Test
  void anApiBecomesADeploymentAndServiceOwnedByItsResource() {
    GenericKubernetesResource created = apply(MINILM);
    OperatorRig rig = operator();

    await().atMost(WAIT).until(() -> deployments().size() == 1 && services().size() == 1);
    String rev = revisionOf(rig, "minilm");
    Deployment d = deployments().getFirst();
    assertThat(d.getMetadata().getName()).isEqualTo("minilm-" + rev);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("RealtimeApi");
              assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
            });
    var container = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("SERVAL_PREDICTOR_MODEL_URI");
              assertThat(e.getValue()).isEqualTo("https://models.example/minilm-v1.onnx");
            });
    assertThat(services().getFirst().getSpec().getSelector())
        .containsEntry("serving.serval.io/revision", rev);

    // Not ready until pods are: status says so, with the generation it acted on.
    await().atMost(WAIT).until(() -> "False/ReplicasNotReady".equals(condition("minilm", "Ready")));
    assertThat(status("minilm")).containsEntry("observedGeneration", 1);
    assertThat(status("minilm").get("replicas"))
        .isEqualTo(Map.of("requested", 2, "ready", 0, "upToDate", 0));

    markReady("minilm", rev, 2);

    await().atMost(WAIT).until(() -> "True/AllReplicasReady".equals(condition("minilm", "Ready")));
    assertThat(status("minilm").get("revisions"))
        .isEqualTo(
            List.of(
                Map.of(
                    "revision", rev, "trafficPercent", 100, "readyReplicas", 2, "current", true)));
    assertThat(rig.controller.replicas("minilm"))
        .extracting(ReplicaInfo::grpcAddress)
        .allMatch(a -> a.endsWith(":8001"))
        .hasSize(2);
    assertThat(eventReasons()).contains("RevisionCreated");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> conditions(String name) {
    return (List<Map<String, Object>>) status(name).getOrDefault("conditions", List.of());
  }

  @Test
  void pullSecretsReachThePredictorPodsAndConditionsCarryTheResourcesGeneration() {
    apply(MINILM);
    operator(stateDir, Map.of("serval.operator.kubernetes.image-pull-secrets", "regcred"));

    await().atMost(WAIT).until(() -> deployments().size() == 1);
    assertThat(deployments().getFirst().getSpec().getTemplate().getSpec().getImagePullSecrets())
        .extracting(r -> r.getName())
        .containsExactly("regcred");

    await().atMost(WAIT).until(() -> "False/ReplicasNotReady".equals(condition("minilm", "Ready")));
    assertThat(conditions("minilm"))
        .hasSize(3)
        .allSatisfy(
            c -> {
              assertThat(c).containsEntry("observedGeneration", 1);
              assertThat(c.get("lastTransitionTime")).isNotNull();
            });
    Object readySince =
        conditions("minilm").stream()
            .filter(c -> "Ready".equals(c.get("type")))
            .findFirst()
            .orElseThrow()
            .get("lastTransitionTime");

    // an in-place change: a new generation, the same condition statuses
    apply(MINILM.replace("readyTimeout: 1m", "readyTimeout: 2m"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                conditions("minilm").stream()
                    .allMatch(c -> Integer.valueOf(2).equals(c.get("observedGeneration"))));
    assertThat(status("minilm")).containsEntry("observedGeneration", 2);
    assertThat(
            conditions("minilm").stream()
                .filter(c -> "Ready".equals(c.get("type")))
                .findFirst()
                .orElseThrow()
                .get("lastTransitionTime"))
        .as("the status did not change: neither does its transition time")
        .isEqualTo(readySince);
  }

  @Test
  void replicasAreSetThroughTheDeploymentsScale() {
    OperatorRig rig = runningMinilm();

    rig.registry.setDesiredReplicas("minilm", 3, "test load");

    await().atMost(WAIT).until(() -> deployments().getFirst().getSpec().getReplicas() == 3);
    await().atMost(WAIT).until(() -> "False/ReplicasNotReady".equals(condition("minilm", "Ready")));
    assertThat(status("minilm")).containsEntry("lastScaleReason", "test load");
  }

  @Test
  void aNewRevisionRunsBesideTheOldUntilReadyThenTrafficSwitchesAtOnce() {
    OperatorRig rig = runningMinilm();
    String blue = revisionOf(rig, "minilm");

    apply(MINILM.replace("minilm-v1.onnx", "minilm-v2.onnx"));

    await().atMost(WAIT).until(() -> !revisionOf(rig, "minilm").equals(blue));
    String green = revisionOf(rig, "minilm");
    await().atMost(WAIT).until(() -> deployments().size() == 2 && services().size() == 2);
    rig.tickRollouts();
    ApiRecord waiting = rig.registry.api("minilm").orElseThrow();
    assertThat(waiting.rollout().phase()).isEqualTo(RolloutState.Phase.WAITING_FOR_READY);
    assertThat(waiting.traffic()).isEqualTo(Map.of(blue, 100));
    assertThat(rig.controller.replicas("minilm"))
        .filteredOn(ReplicaInfo::ready)
        .allMatch(r -> r.revision().equals(blue));

    markReady("minilm", green, 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                rig.controller.replicas("minilm").stream()
                        .filter(r -> r.ready() && r.revision().equals(green))
                        .count()
                    == 2);
    rig.tickRollouts();

    assertThat(rig.registry.api("minilm").orElseThrow().traffic()).isEqualTo(Map.of(green, 100));
    await().atMost(WAIT).until(() -> deployments().size() == 1 && services().size() == 1);
    assertThat(deployments().getFirst().getMetadata().getName()).isEqualTo("minilm-" + green);
    await()
        .atMost(WAIT)
        .until(
            () ->
                "True/Complete"
                    .equals(condition("minilm", "RolloutInProgress").replace("False", "True")));
    await()
        .atMost(WAIT)
        .until(() -> eventReasons().containsAll(List.of("RolloutStarted", "RolloutComplete")));
    assertThat(status("minilm")).containsEntry("observedGeneration", 2);
  }

  @Test
  void aRevisionNeverReadyIsRolledBackAndTheResourceSpecRestored() {
    OperatorRig rig = runningMinilm();
    String blue = revisionOf(rig, "minilm");
    apply(MINILM.replace("minilm-v1.onnx", "broken.onnx"));
    await().atMost(WAIT).until(() -> deployments().size() == 2);
    rig.tickRollouts();

    rig.clock.advance(Duration.ofMinutes(2));
    rig.tickRollouts();

    ApiRecord after = rig.registry.api("minilm").orElseThrow();
    assertThat(after.rollout().phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
    assertThat(after.revision()).isEqualTo(blue);
    await().atMost(WAIT).until(() -> deployments().size() == 1);
    assertThat(deployments().getFirst().getMetadata().getName()).isEqualTo("minilm-" + blue);
    // The spec in the cluster follows the rollback, so kubectl shows what runs.
    await()
        .atMost(WAIT)
        .until(
            () ->
                Serialization.asJson(cr("minilm").getAdditionalProperties().get("spec"))
                    .contains("minilm-v1.onnx"));
    await().atMost(WAIT).until(() -> eventReasons().contains("RolledBack"));
    assertThat(revisionOf(rig, "minilm")).isEqualTo(blue);
  }

  @Test
  void aManualRollbackReturnsToThePreviousRevision() {
    OperatorRig rig = runningMinilm();
    String blue = revisionOf(rig, "minilm");
    apply(MINILM.replace("minilm-v1.onnx", "minilm-v2.onnx"));
    await().atMost(WAIT).until(() -> !revisionOf(rig, "minilm").equals(blue));
    String green = revisionOf(rig, "minilm");
    markReady("minilm", green, 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                rig.controller.replicas("minilm").stream().filter(ReplicaInfo::ready).count() == 4);
    rig.tickRollouts();
    await().atMost(WAIT).until(() -> deployments().size() == 1);

    rig.registry.rollbackApi("minilm");

    await().atMost(WAIT).until(() -> deployments().size() == 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Serialization.asJson(cr("minilm").getAdditionalProperties().get("spec"))
                    .contains("minilm-v1.onnx"));
    markReady("minilm", blue, 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                rig.controller.replicas("minilm").stream()
                        .filter(r -> r.ready() && r.revision().equals(blue))
                        .count()
                    == 2);
    rig.tickRollouts();
    assertThat(rig.registry.api("minilm").orElseThrow().traffic()).isEqualTo(Map.of(blue, 100));
    await()
        .atMost(WAIT)
        .until(
            () ->
                deployments().size() == 1
                    && deployments().getFirst().getMetadata().getName().equals("minilm-" + blue));
    await().atMost(WAIT).until(() -> eventReasons().contains("RollbackStarted"));
  }

  @Test
  void deletingTheResourceDeletesTheApiAndEverythingBuiltForIt() {
    OperatorRig rig = runningMinilm();

    client
        .genericKubernetesResources(CustomResourceKinds.REALTIME_API)
        .inNamespace(NS)
        .withName("minilm")
        .delete();

    await().atMost(WAIT).until(() -> rig.registry.api("minilm").isEmpty());
    await().atMost(WAIT).until(() -> deployments().isEmpty() && services().isEmpty());
  }

  @Test
  void aRestartedOperatorAdoptsWhatExistsWithoutDuplicates(@TempDir Path freshState) {
    OperatorRig first = runningMinilm();
    String rev = revisionOf(first, "minilm");
    String deploymentUid = deployments().getFirst().getMetadata().getUid();
    first.close();
    rigs.remove(first);

    // A new pod: its state directory is empty, the cluster is the truth.
    OperatorRig second = operator(freshState, Map.of());

    await().atMost(WAIT).until(() -> second.registry.api("minilm").isPresent());
    assertThat(revisionOf(second, "minilm")).isEqualTo(rev);
    await().atMost(WAIT).until(() -> second.controller.observedGeneration("minilm") > 0);
    assertThat(deployments())
        .singleElement()
        .satisfies(d -> assertThat(d.getMetadata().getUid()).isEqualTo(deploymentUid));
    assertThat(services()).hasSize(1);
    assertThat(condition("minilm", "Ready")).isEqualTo("True/AllReplicasReady");
  }

  @Test
  void anIdleOperatorDoesNotRewriteStatus() {
    OperatorRig rig = runningMinilm();
    await().atMost(WAIT).until(() -> cr("minilm").getMetadata().getResourceVersion() != null);
    String version = cr("minilm").getMetadata().getResourceVersion();
    long passes = rig.controller.actingPasses();

    // Several full passes (one per reconcile interval, and one poked) with nothing to do.
    rig.controller.poke();
    await().atMost(WAIT).until(() -> rig.controller.actingPasses() >= passes + 4);

    assertThat(cr("minilm").getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(deployments()).hasSize(1);
  }

  @Test
  void anApiDeployedThroughTheManagementApiGetsItsResource() {
    OperatorRig rig = operator();

    rig.registry.deploy(MINILM.replace("name: minilm, namespace: test", "name: cli-api"));

    await().atMost(WAIT).until(() -> cr("cli-api") != null);
    await().atMost(WAIT).until(() -> deployments().size() == 1);
    assertThat(deployments().getFirst().getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(cr("cli-api").getMetadata().getUid()));

    rig.registry.deleteApi("cli-api");

    await().atMost(WAIT).until(() -> cr("cli-api") == null && deployments().isEmpty());
  }

  @Test
  void anInvalidSpecIsRefusedWithAWarningEvent() {
    OperatorRig rig = operator();

    apply(MINILM.replace("minReplicas: 2", "minReplicas: -1"));

    await().atMost(WAIT).until(() -> eventReasons().contains("InvalidSpec"));
    assertThat(rig.registry.api("minilm")).isEmpty();
    assertThat(deployments()).isEmpty();
    Event e =
        client.v1().events().inNamespace(NS).list().getItems().stream()
            .filter(x -> x.getReason().equals("InvalidSpec"))
            .findFirst()
            .orElseThrow();
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getMessage()).contains("minReplicas");
    assertThat(e.getInvolvedObject().getName()).isEqualTo("minilm");
  }

  @Test
  void aSplitterResourceIsDeployedWithItsApisAndGetsAStatus() {
    OperatorRig rig = runningMinilm();

    client
        .genericKubernetesResources(CustomResourceKinds.TRAFFIC_SPLITTER)
        .inNamespace(NS)
        .resource(
            Serialization.unmarshal(
                """
            apiVersion: serving.serval.io/v1alpha1
            kind: TrafficSplitter
            metadata: {name: front, namespace: test}
            spec:
              apis:
                - {name: minilm, weight: 100}
            """,
                GenericKubernetesResource.class))
        .create();

    await().atMost(WAIT).until(() -> rig.registry.splitter("front").isPresent());
    await()
        .atMost(WAIT)
        .until(
            () -> {
              GenericKubernetesResource s =
                  client
                      .genericKubernetesResources(CustomResourceKinds.TRAFFIC_SPLITTER)
                      .inNamespace(NS)
                      .withName("front")
                      .get();
              return Serialization.asJson(s).contains("AllApisReady");
            });
  }

  @Test
  void onlyTheLeaderActsAndAnotherTakesOverWhenItLeaves(@TempDir Path a, @TempDir Path b) {
    Map<String, String> election =
        Map.of(
            "serval.operator.kubernetes.leader-election.enabled", "true",
            "serval.operator.kubernetes.leader-election.lease-duration", "2s",
            "serval.operator.kubernetes.leader-election.renew-deadline", "1500ms",
            "serval.operator.kubernetes.leader-election.retry-period", "200ms");
    apply(MINILM);
    OperatorRig one = operator(a, withIdentity(election, "one"));
    await().atMost(WAIT).until(() -> one.controller.acting());
    OperatorRig two = operator(b, withIdentity(election, "two"));

    // Both follow the resources; only the leader builds, and builds once.
    await().atMost(WAIT).until(() -> two.registry.api("minilm").isPresent());
    await().atMost(WAIT).until(() -> deployments().size() == 1);
    assertThat(two.controller.acting()).isFalse();

    one.close();
    rigs.remove(one);

    await().atMost(WAIT).until(() -> two.controller.acting());
    client
        .genericKubernetesResources(CustomResourceKinds.REALTIME_API)
        .inNamespace(NS)
        .withName("minilm")
        .delete();
    await().atMost(WAIT).until(() -> deployments().isEmpty());
  }

  private static Map<String, String> withIdentity(Map<String, String> base, String id) {
    Map<String, String> m = new java.util.HashMap<>(base);
    m.put("serval.operator.kubernetes.leader-election.identity", id);
    return m;
  }
}
