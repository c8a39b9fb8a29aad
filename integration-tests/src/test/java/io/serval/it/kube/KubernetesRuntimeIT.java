package io.serval.it.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.serval.it.client.ApiSpec;
import io.serval.it.client.ApiSpec.Target;
import io.serval.it.client.ApiState;
import io.serval.it.client.HttpAnswer;
import io.serval.it.client.Inputs;
import io.serval.it.client.V2GrpcClient.GrpcAnswer;
import io.serval.it.client.V2Requests;
import io.serval.it.load.LoadGenerator;
import io.serval.it.load.LoadReport;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ReplicaRecord;
import io.serval.it.platform.ServiceJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: the whole platform on the Kubernetes runtime. The operator runs in kubernetes mode
 * against a mock API server, the router and autoscaler as the chart runs them (routes and replicas
 * from the operator's watch stream), and the {@link TestKubelet} turns the operator's Deployments
 * into real predictor processes and EndpointSlices. Specs go in as custom resources, the way {@code
 * kubectl apply} puts them. One platform for all scenarios, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class KubernetesRuntimeIT {

  static final String A = "kube-a";
  static final String B = "kube-b";
  static final String ELASTIC = "kube-elastic";
  static final String SLEEPY = "kube-sleepy";
  static final int WIDTH = 4;
  static final int SLOW_WIDTH = 256;
  static final String NS = MockCluster.NAMESPACE;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String IDENTITY = "serval.operator.kubernetes.leader-election.identity";

  /** The predictor image's model directory (what the pod template's model URIs point into). */
  static final String IMAGE_MODELS = "/models";

  static MockCluster cluster;
  static Platform platform;
  static TestKubelet kubelet;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start();
    Platform.Builder b =
        Platform.builder("KubernetesRuntimeIT").autoscalerTick(Duration.ofSeconds(1));
    cluster.operatorProperties().forEach(b::operatorProperty);
    b.operatorProperty(IDENTITY, "operator-1");
    platform = b.start();
    Path models = platform.dir().resolve("models");
    kubelet =
        TestKubelet.start(
            cluster.client(),
            NS,
            new TestKubelet.Image(
                ServiceJars.predictor(), Map.of(IMAGE_MODELS, models), IMAGE_MODELS),
            platform.dir().resolve("pods"));
    platform.models().addFp32("a.onnx", WIDTH);
    platform.models().addFp32("b.onnx", WIDTH);
    apply(api(A, "a.onnx").replicas(1).yaml());
    apply(api(B, "b.onnx").replicas(1).yaml());
  }

  @AfterAll
  static void stop() {
    // The kubelet first: its pods are the platform's processes too.
    if (kubelet != null) {
      kubelet.close();
    }
    try {
      if (platform != null) {
        platform.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  static ApiSpec api(String name, String modelFile) {
    return ApiSpec.api(name)
        .modelUri("file:" + IMAGE_MODELS + "/" + modelFile)
        .traffic(8, 500, "10s");
  }

  @Test
  @Order(1)
  void aRealtimeApiCustomResourceIsServedOverRestAndGrpcWithItsStatusOnTheResource() {
    awaitServed(A);
    HttpAnswer rest = platform.http().inferJson(A, V2Requests.json(Inputs.add(WIDTH, 1)));
    GrpcAnswer grpc =
        platform.grpc().infer(V2Requests.grpc(A, Inputs.add(WIDTH, 1)), Duration.ofSeconds(10));
    System.out.println("[kube 1] REST " + rest + "; gRPC " + grpc);
    assertThat(rest.status()).as("%s", rest).isEqualTo(200);
    assertThat(rest.revision()).startsWith(A + "/");
    assertThat(grpc.toOutcome().ok()).as("%s", grpc).isTrue();

    // What kubectl shows: the custom resource's status, written by the operator.
    await("status on the custom resource")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ApiState cr = new ApiState(crJson("RealtimeApi", A));
              assertThat(cr.conditionTrue("Ready")).isTrue();
              assertThat(cr.readyReplicas()).isEqualTo(1);
              assertThat(cr.json().path("status").path("endpoint").asText()).contains(A);
            });
    ApiState cr = new ApiState(crJson("RealtimeApi", A));
    System.out.println("[kube 1] custom resource status: " + cr.json().path("status"));
    String revision = cr.currentRevision();
    assertThat(cr.condition("Ready").path("observedGeneration").asLong())
        .isEqualTo(cr.json().path("metadata").path("generation").asLong(1));
    // The revision's Deployment, its Deployment status as the controller wrote it, one pod.
    Deployment d =
        cluster.client().apps().deployments().inNamespace(NS).withName(A + "-" + revision).get();
    assertThat(d).isNotNull();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
        .isEqualTo(TestKubelet.PREDICTOR_IMAGE);
    await("Deployment status")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Integer.valueOf(1)
                    .equals(
                        cluster
                            .client()
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName(A + "-" + revision)
                            .get()
                            .getStatus()
                            .getReadyReplicas()));
    assertThat(kubelet.pods(A))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.revision()).isEqualTo(revision);
              assertThat(p.phase()).isEqualTo(PodView.Phase.READY);
            });
    // What kubectl get pods shows of it.
    await("the Pod object Ready")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .client()
                            .pods()
                            .inNamespace(NS)
                            .withLabel("serving.serval.io/api", A)
                            .list()
                            .getItems())
                    .singleElement()
                    .satisfies(
                        pod -> {
                          assertThat(pod.getStatus().getPodIP()).isEqualTo("127.0.0.1");
                          assertThat(pod.getStatus().getConditions())
                              .anySatisfy(
                                  c -> {
                                    assertThat(c.getType()).isEqualTo("Ready");
                                    assertThat(c.getStatus()).isEqualTo("True");
                                  });
                        }));
  }

  @Test
  @Order(2)
  void aTrafficSplitterCustomResourceSplitsAcrossTwoApis() {
    awaitServed(B);
    apply(
        ApiSpec.splitter(
            "kube-split", List.of(new Target(A, 70, false), new Target(B, 30, false))));
    await("splitter routed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> platform.http().get("/v2/models/kube-split/ready").status() == 200);
    int n = 1_000;
    var request = V2Requests.grpc("kube-split", Inputs.add(WIDTH, 2));
    LoadReport r =
        LoadGenerator.start(
                new LoadGenerator.Spec("70/30 split", 4, 0, n, Duration.ofSeconds(120)),
                () -> platform.grpc().infer(request, Duration.ofSeconds(10)).toOutcome())
            .await();
    double a = 100.0 * r.byApi().getOrDefault(A, 0L) / n;
    double b = 100.0 * r.byApi().getOrDefault(B, 0L) / n;
    System.out.println("[kube 2] " + r.describe());
    System.out.printf("[kube 2] %s %.1f%% (70 +-5), %s %.1f%% (30 +-5)%n", A, a, B, b);
    assertThat(r.total()).isEqualTo(n);
    assertThat(r.failures()).as(r.describe()).isEmpty();
    assertThat(a).isBetween(65.0, 75.0);
    assertThat(b).isBetween(25.0, 35.0);
    await("splitter status on its custom resource")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !crJson("TrafficSplitter", "kube-split").path("status").isMissingNode());
  }

  @Test
  @Order(3)
  void aBlueGreenRolloutOfTheCustomResourceUnderLoadFailsNothing() {
    String old = new ApiState(crJson("RealtimeApi", A)).currentRevision();
    List<TestKubelet.PodState> oldPods = kubelet.pods(A);
    Map<Long, Long> exits = new java.util.concurrent.ConcurrentHashMap<>();
    for (TestKubelet.PodState p : oldPods) {
      ProcessHandle.of(p.pid())
          .orElseThrow(() -> new AssertionError(p + " is not running"))
          .onExit()
          .thenRun(() -> exits.put(p.pid(), System.nanoTime()));
    }
    platform.models().addFp32("a2.onnx", WIDTH);
    String json = V2Requests.json(Inputs.add(WIDTH, 1));
    LoadReport load;
    String next;
    try (LoadGenerator gen =
        LoadGenerator.start(
            new LoadGenerator.Spec("blue-green", 64, 120, 60_000, Duration.ofSeconds(150)),
            LoadGenerator.http(() -> platform.http().inferJson(A, json)))) {
      await("load running").atMost(Duration.ofSeconds(20)).until(() -> gen.completed() >= 200);
      apply(api(A, "a2.onnx").replicas(1).yaml());
      await("new revision current, old pods gone")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> {
                ApiState s = platform.management().api(A);
                return !s.currentRevision().equals(old)
                    && s.settled()
                    && kubelet.pods(A).stream().noneMatch(p -> p.revision().equals(old));
              });
      next = platform.management().api(A).currentRevision();
      long at = gen.completed();
      await("load after the switch")
          .atMost(Duration.ofSeconds(20))
          .until(() -> gen.completed() >= at + 200);
      load = gen.stop();
    }
    System.out.println("[kube 3] " + load.describe() + "; " + old + " -> " + next);
    assertThat(load.failures()).as(load.describe()).isEmpty();
    assertThat(load.ratePerSecond()).isGreaterThanOrEqualTo(100);
    assertThat(load.byRevision()).containsOnlyKeys(A + "/" + old, A + "/" + next);
    assertThat(kubelet.pods(A))
        .extracting(TestKubelet.PodState::pid)
        .doesNotContainAnyElementsOf(oldPods.stream().map(TestKubelet.PodState::pid).toList());
    assertThat(cluster.client().apps().deployments().inNamespace(NS).withName(A + "-" + old).get())
        .as("the old revision's Deployment")
        .isNull();
    // Drained first: the old pod's endpoint turned terminating and the router let go of it
    // before its process was stopped, so it exited after its last answer.
    long lastOldAnswer =
        load.outcomes().stream()
            .filter(o -> (A + "/" + old).equals(o.revision()))
            .mapToLong(o -> o.startNanos() + o.latencyNanos())
            .max()
            .orElseThrow();
    assertThat(exits).hasSize(oldPods.size());
    exits.forEach(
        (pid, exit) -> {
          System.out.printf(
              "[kube 3] old pod pid %d exited %.0f ms after the last old-revision answer%n",
              pid, (exit - lastOldAnswer) / 1e6);
          assertThat(exit).as("exit of the old pod %d", pid).isGreaterThan(lastOldAnswer);
        });
  }

  @Test
  @Order(4)
  void autoscalingScalesTheDeploymentUpAndDownAndWakesFromZero() {
    platform.models().slow("elastic.onnx", SLOW_WIDTH, 256, 16);
    platform.models().addFp32("sleepy.onnx", WIDTH);
    apply(
        api(ELASTIC, "elastic.onnx")
            .traffic(1, 100, "30s")
            .autoscaling(
                1,
                3,
                1,
                "targetInFlight: 1, window: 4s, upscaleStabilizationPeriod: 1s,"
                    + " downscaleStabilizationPeriod: 5s, maxUpscaleFactor: 3,"
                    + " maxDownscaleFactor: 0.3, panic: {window: 2s, threshold: 2.0}")
            .yaml());
    apply(
        api(SLEEPY, "sleepy.onnx")
            .traffic(4, 100, "90s")
            .autoscaling(
                0,
                1,
                1,
                "targetInFlight: 1, window: 2s, upscaleStabilizationPeriod: 1s,"
                    + " downscaleStabilizationPeriod: 3s, panic: {window: 1s, threshold: 2.0}")
            .yaml());
    awaitServed(ELASTIC);
    String json = V2Requests.json(Inputs.slow(SLOW_WIDTH));
    LoadReport load;
    try (LoadGenerator gen =
        LoadGenerator.start(
            new LoadGenerator.Spec("load step", 4, 0, 100_000, Duration.ofSeconds(150)),
            LoadGenerator.http(() -> platform.http().inferJson(ELASTIC, json)))) {
      await("Deployment scaled to 3 and 3 pods ready")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  deploymentReplicas(ELASTIC) == 3
                      && kubelet.pods(ELASTIC).stream()
                              .filter(p -> p.phase() == PodView.Phase.READY)
                              .count()
                          == 3);
      // Every pod, the new ones included, takes part of the load.
      List<ReplicaRecord> elastic =
          kubelet.pods(ELASTIC).stream()
              .map(
                  p -> new ReplicaRecord(p.name(), ELASTIC, p.revision(), p.pid(), p.httpPort(), 0))
              .toList();
      Map<String, Double> before = new java.util.HashMap<>();
      for (ReplicaRecord r : elastic) {
        before.put(r.id(), platform.replicaMetric(r, "serval_predictor_requests_total", ""));
      }
      await("every pod served requests")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  elastic.stream()
                      .allMatch(
                          r ->
                              platform.replicaMetric(r, "serval_predictor_requests_total", "")
                                  > before.get(r.id()) + 5));
      load = gen.stop();
    }
    System.out.println("[kube 4] " + load.describe());
    assertThat(load.failures()).as(load.describe()).isEmpty();
    await("scaled back down to 1 pod")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> deploymentReplicas(ELASTIC) == 1 && kubelet.pods(ELASTIC).size() == 1);

    await(SLEEPY + " scaled to zero")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> deploymentReplicas(SLEEPY) == 0 && kubelet.pods(SLEEPY).isEmpty());
    HttpAnswer first = platform.http().inferJson(SLEEPY, V2Requests.json(Inputs.add(WIDTH, 7)));
    System.out.printf(
        "[kube 4] first request to the sleeping API: %d after %.1f s%n",
        first.status(), first.latencyMillis() / 1000);
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(deploymentReplicas(SLEEPY)).isEqualTo(1);
    assertThat(kubelet.pods(SLEEPY)).hasSize(1);
  }

  @Test
  @Order(5)
  void aCanaryThatFailsIsRolledBackOnItsErrorRateAndItsDeploymentRemoved() {
    String good = platform.management().api(A).currentRevision();
    List<Long> goodPids = kubelet.pods(A).stream().map(TestKubelet.PodState::pid).toList();
    // Loads and warms up fine, but expects 8 values where the clients send 4: every request the
    // canary takes fails (400), while the old revision answers them all.
    platform.models().addFp32("a-wide.onnx", 2 * WIDTH);
    String json = V2Requests.json(Inputs.add(WIDTH, 1));
    LoadReport load;
    String canary;
    ApiState after;
    try (LoadGenerator gen =
        LoadGenerator.start(
            new LoadGenerator.Spec("failing canary", 64, 120, 60_000, Duration.ofSeconds(180)),
            LoadGenerator.http(() -> platform.http().inferJson(A, json)))) {
      await("load running").atMost(Duration.ofSeconds(20)).until(() -> gen.completed() >= 200);
      apply(
          api(A, "a-wide.onnx")
              .replicas(1)
              .rollout(
                  "{strategy: Canary, steps: [25, 100], stepInterval: 10m,"
                      + " maxErrorRateIncrease: 5, minRequests: 20}")
              .yaml());
      await("rolled back")
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () ->
                  "RolledBack"
                      .equals(platform.management().api(A).conditionReason("RolloutInProgress")));
      after = platform.management().api(A);
      long at = gen.completed();
      await("load after the rollback")
          .atMost(Duration.ofSeconds(30))
          .until(() -> gen.completed() >= at + 300);
      load = gen.stop();
    }
    String message = after.conditionMessage("RolloutInProgress");
    // The revision the rollout went to, as the operator names it in its reason.
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("revision (\\w+) failed").matcher(message);
    assertThat(m.find()).as(message).isTrue();
    canary = m.group(1);
    assertThat(canary).isNotEqualTo(good);
    System.out.println("[kube 5] " + load.describe());
    System.out.println("[kube 5] RolloutInProgress: RolledBack: " + message);
    assertThat(message).contains("rolled back to " + good);
    assertThat(after.currentRevision()).isEqualTo(good);
    assertThat(after.traffic()).containsEntry(good, 100);
    assertThat(load.failures())
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.revision()).isEqualTo(A + "/" + canary));
    assertThat(load.outcomes().subList(load.outcomes().size() - 200, load.outcomes().size()))
        .allSatisfy(
            o -> {
              assertThat(o.status()).isEqualTo("200");
              assertThat(o.revision()).isEqualTo(A + "/" + good);
            });
    await("canary Deployment and pods gone, the good pod untouched")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      cluster
                          .client()
                          .apps()
                          .deployments()
                          .inNamespace(NS)
                          .withName(A + "-" + canary)
                          .get())
                  .isNull();
              assertThat(kubelet.pods(A))
                  .extracting(TestKubelet.PodState::pid)
                  .containsExactlyInAnyOrderElementsOf(goodPids);
            });
  }

  @Test
  @Order(6)
  void theLeaderFailsOverAndTheOperatorRestartsUnderLoadWithoutAFailedRequest() {
    awaitLeader("operator-1");
    platform.startAnotherOperator("operator-2", Map.of(IDENTITY, "operator-2"));
    List<Long> pidsBefore = kubelet.pods(B).stream().map(TestKubelet.PodState::pid).toList();
    String json = V2Requests.json(Inputs.add(WIDTH, 1));
    LoadReport load;
    try (LoadGenerator gen =
        LoadGenerator.start(
            new LoadGenerator.Spec("failover", 64, 120, 60_000, Duration.ofSeconds(180)),
            LoadGenerator.http(() -> platform.http().inferJson(B, json)))) {
      await("load running").atMost(Duration.ofSeconds(20)).until(() -> gen.completed() >= 200);
      // The leader crashes: the standby takes the Lease once it expires, and acts.
      platform.killOperator();
      awaitLeader("operator-2");
      apply(api(B, "b.onnx").replicas(2).yaml());
      await("the new leader scaled " + B + " to 2 ready pods")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  deploymentReplicasFromCluster(B) == 2
                      && kubelet.pods(B).stream()
                              .filter(p -> p.phase() == PodView.Phase.READY)
                              .count()
                          == 2);
      // The crashed operator comes back (its pod recreated) as a follower; the router, which
      // kept serving on its last routes meanwhile, reconnects to it and learns the new pod.
      platform.restartOperator();
      await("the router routes to both pods")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> platform.management().api(B).readyReplicas() == 2);
      long at = gen.completed();
      await("load after the restart")
          .atMost(Duration.ofSeconds(30))
          .until(() -> gen.completed() >= at + 300);
      load = gen.stop();
    }
    System.out.println("[kube 6] " + load.describe());
    assertThat(load.failures()).as(load.describe()).isEmpty();
    assertThat(load.ratePerSecond()).isGreaterThanOrEqualTo(100);
    assertThat(leaseHolder()).isEqualTo("operator-2");
    // Adopted, not rebuilt: the pod from before the failover still runs, beside the new one.
    assertThat(kubelet.pods(B))
        .hasSize(2)
        .extracting(TestKubelet.PodState::pid)
        .containsAll(pidsBefore);
  }

  // ------------------------------------------------------------------ helpers

  /** Ready through the router (the operator's routes and the slices' endpoints have arrived). */
  static void awaitServed(String api) {
    await(api + " served")
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> platform.http().get("/v2/models/" + api + "/ready").status() == 200);
  }

  /** The one Deployment of the API's current revision: its spec.replicas. */
  static int deploymentReplicas(String api) {
    String revision = platform.management().api(api).currentRevision();
    Deployment d =
        cluster.client().apps().deployments().inNamespace(NS).withName(api + "-" + revision).get();
    return d.getSpec().getReplicas();
  }

  static int deploymentReplicasFromCluster(String api) {
    List<Deployment> ds =
        cluster
            .client()
            .apps()
            .deployments()
            .inNamespace(NS)
            .withLabel("serving.serval.io/api", api)
            .list()
            .getItems();
    assertThat(ds).hasSize(1);
    return ds.getFirst().getSpec().getReplicas();
  }

  static String leaseHolder() {
    var lease =
        cluster
            .client()
            .resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
            .inNamespace(NS)
            .withName("serval-operator")
            .get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  static void awaitLeader(String identity) {
    await(identity + " holds the Lease")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> identity.equals(leaseHolder()));
  }

  /** kubectl apply: create the custom resource, or replace its spec. */
  static void apply(String yaml) {
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) {
        continue;
      }
      GenericKubernetesResource r = Serialization.unmarshal(doc, GenericKubernetesResource.class);
      var resources = crs(r.getKind());
      try {
        resources.resource(r).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        Object spec = r.getAdditionalProperties().get("spec");
        resources
            .withName(r.getMetadata().getName())
            .edit(
                current -> {
                  current.setAdditionalProperty("spec", spec);
                  return current;
                });
      }
    }
  }

  static JsonNode crJson(String kind, String name) {
    GenericKubernetesResource r = crs(kind).withName(name).get();
    return JSON.valueToTree(r);
  }

  static NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      crs(String kind) {
    return cluster
        .client()
        .genericKubernetesResources("serving.serval.io/v1alpha1", kind)
        .inNamespace(NS);
  }
}
