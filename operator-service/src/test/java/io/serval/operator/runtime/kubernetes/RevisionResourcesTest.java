package io.serval.operator.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RevisionResourcesTest {

  private static final PodSettings POD =
      new PodSettings(
          "ghcr.io/serval/predictor:0.1.0",
          "IfNotPresent",
          Optional.empty(),
          8000,
          8001,
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          "serval.io/node-group",
          Map.of("spot", 100, "on-demand", 1));

  private static final RevisionRef REF = new RevisionRef("minilm", "0123456789");

  private final RevisionResources resources = new RevisionResources(POD);

  private static RevisionRecord revision(ComputeSpec compute) {
    return new RevisionRecord(
        REF.revision(),
        new ModelSpec("https://models.example/minilm.onnx", "onnx", "abc123"),
        new PredictorSpec(2, 3, new BatchingSpec(16, Duration.ofMillis(2), 256)),
        compute,
        Instant.EPOCH);
  }

  private static ComputeSpec cpu() {
    return new ComputeSpec("500m", "1Gi", 0, 0, List.of());
  }

  private Deployment deployment(ComputeSpec compute) {
    return resources.deployment(
        REF,
        revision(compute),
        3,
        new OwnerReferenceBuilder()
            .withApiVersion("serving.serval.io/v1alpha1")
            .withKind("RealtimeApi")
            .withName("minilm")
            .withUid("uid-1")
            .withController(true)
            .build());
  }

  private static Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().getFirst();
  }

  @Test
  void deploymentIsNamedLabelledOwnedAndSelectsItsRevision() {
    Deployment d = deployment(cpu());

    assertThat(d.getMetadata().getName()).isEqualTo("minilm-0123456789");
    assertThat(d.getMetadata().getLabels())
        .containsEntry("serving.serval.io/api", "minilm")
        .containsEntry("serving.serval.io/revision", "0123456789")
        .containsEntry("app.kubernetes.io/managed-by", "serval-operator");
    assertThat(d.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .isEqualTo(
            Map.of("serving.serval.io/api", "minilm", "serving.serval.io/revision", "0123456789"));
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void podProbesHealthEndpointsAndDrainsBeforeStopping() {
    Container c = container(deployment(cpu()));

    assertThat(c.getImage()).isEqualTo("ghcr.io/serval/predictor:0.1.0");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "5");
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8000", "grpc:8001");
    assertThat(d().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(30L);
  }

  private Deployment d() {
    return deployment(cpu());
  }

  @Test
  void predictorPodsMountNoServiceAccountTokenAndRunUnprivileged() {
    var spec = d().getSpec().getTemplate().getSpec();
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var sc = container(d()).getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void predictorSettingsGoInAsContractEnvVars() {
    Map<String, String> env =
        container(deployment(cpu())).getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

    assertThat(env)
        .containsEntry("SERVAL_PREDICTOR_MODEL_URI", "https://models.example/minilm.onnx")
        .containsEntry("SERVAL_PREDICTOR_MODEL_NAME", "minilm")
        .containsEntry("SERVAL_PREDICTOR_MODEL_VERSION", "0123456789")
        .containsEntry("SERVAL_PREDICTOR_MODEL_SHA256", "abc123")
        .containsEntry("SERVAL_PREDICTOR_WORKERS", "2")
        .containsEntry("SERVAL_PREDICTOR_THREADS_PER_WORKER", "3")
        .containsEntry("SERVAL_PREDICTOR_GPU", "0")
        .containsEntry("SERVAL_PREDICTOR_BATCHING_MAX_BATCH_SIZE", "16")
        .containsEntry("SERVAL_PREDICTOR_BATCHING_MAX_QUEUE_DELAY", "PT0.002S")
        .containsEntry("SERVAL_PREDICTOR_BATCHING_MAX_QUEUE_SIZE", "256")
        .containsEntry("QUARKUS_HTTP_PORT", "8000")
        .containsEntry("QUARKUS_GRPC_SERVER_PORT", "8001")
        .doesNotContainKey("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @Test
  void anOtlpEndpointTurnsThePredictorsTracingOn() {
    PodSettings traced =
        new PodSettings(
            POD.image(),
            POD.imagePullPolicy(),
            POD.serviceAccount(),
            POD.httpPort(),
            POD.grpcPort(),
            POD.drainDelay(),
            POD.terminationGracePeriod(),
            POD.nodeGroupLabel(),
            POD.nodeGroupPriority(),
            Optional.of("http://otel-collector.monitoring:4317"));
    Deployment d =
        new RevisionResources(traced)
            .deployment(
                REF,
                revision(cpu()),
                1,
                new OwnerReferenceBuilder()
                    .withApiVersion("serving.serval.io/v1alpha1")
                    .withKind("RealtimeApi")
                    .withName("minilm")
                    .withUid("uid-1")
                    .withController(true)
                    .build());
    assertThat(container(d).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT");
              assertThat(e.getValue()).isEqualTo("http://otel-collector.monitoring:4317");
            });
  }

  @Test
  void cpuAndMemoryBecomeRequestsWithAMemoryLimit() {
    var r = container(deployment(cpu())).getResources();

    assertThat(r.getRequests()).containsEntry("cpu", new Quantity("500m"));
    assertThat(r.getRequests()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(r.getLimits()).containsOnlyKeys("memory");
    assertThat(d().getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(d().getSpec().getTemplate().getSpec().getTolerations()).isEmpty();
  }

  @Test
  void gpuIsAWholeDeviceWithItsToleration() {
    Deployment d = deployment(new ComputeSpec("1", "4Gi", 1, 0, List.of()));
    var r = container(d).getResources();

    assertThat(r.getRequests()).containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(r.getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(d.getSpec().getTemplate().getSpec().getTolerations())
        .extracting(Toleration::getKey)
        .containsExactly("nvidia.com/gpu");
  }

  @Test
  void inferentiaComesWithHugePagesAsCortexDid() {
    Deployment d = deployment(new ComputeSpec("1", "4Gi", 0, 2, List.of()));
    var r = container(d).getResources();

    assertThat(r.getLimits()).containsEntry("aws.amazon.com/neuron", new Quantity("2"));
    // 128 pages of 2Mi per chip.
    assertThat(r.getLimits()).containsEntry("hugepages-2Mi", new Quantity("512Mi"));
    assertThat(r.getRequests()).containsEntry("hugepages-2Mi", new Quantity("512Mi"));
    assertThat(d.getSpec().getTemplate().getSpec().getTolerations())
        .extracting(Toleration::getKey)
        .containsExactly("aws.amazon.com/neuron");
  }

  @Test
  void oneNodeGroupIsRequiredWithoutPreferences() {
    PodSpec pod =
        deployment(new ComputeSpec("1", null, 0, 0, List.of("gpu-a10")))
            .getSpec()
            .getTemplate()
            .getSpec();
    var na = pod.getAffinity().getNodeAffinity();

    NodeSelectorRequirement required =
        na.getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()
            .getFirst()
            .getMatchExpressions()
            .getFirst();
    assertThat(required.getKey()).isEqualTo("serval.io/node-group");
    assertThat(required.getOperator()).isEqualTo("In");
    assertThat(required.getValues()).containsExactly("gpu-a10");
    assertThat(na.getPreferredDuringSchedulingIgnoredDuringExecution()).isEmpty();
    assertThat(pod.getTolerations())
        .extracting(t -> t.getKey() + "=" + t.getValue() + ":" + t.getEffect())
        .containsExactly("serval.io/node-group=gpu-a10:NoSchedule");
  }

  @Test
  void severalNodeGroupsPreferSpotBeforeOnDemandByPriority() {
    // Listed on-demand first, but spot has the higher configured priority.
    PodSpec pod =
        deployment(new ComputeSpec("1", null, 0, 0, List.of("on-demand", "spot", "other")))
            .getSpec()
            .getTemplate()
            .getSpec();
    var na = pod.getAffinity().getNodeAffinity();

    assertThat(
            na.getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .getFirst()
                .getMatchExpressions()
                .getFirst()
                .getValues())
        .containsExactly("on-demand", "spot", "other");
    Map<String, Integer> weights =
        na.getPreferredDuringSchedulingIgnoredDuringExecution().stream()
            .collect(
                Collectors.toMap(
                    t -> t.getPreference().getMatchExpressions().getFirst().getValues().getFirst(),
                    PreferredSchedulingTerm::getWeight));
    assertThat(weights).containsEntry("spot", 100).containsEntry("on-demand", 1);
    // Unconfigured groups are weighted by their place in the list.
    assertThat(weights.get("other")).isEqualTo(98);
    assertThat(pod.getTolerations()).hasSize(3);
  }

  @Test
  void serviceExposesHttpAndGrpcOfTheRevisionOnly() {
    Service s = resources.service(REF, null);

    assertThat(s.getMetadata().getName()).isEqualTo("minilm-0123456789");
    assertThat(s.getSpec().getSelector()).isEqualTo(REF.selector());
    assertThat(s.getMetadata().getLabels()).containsAllEntriesOf(REF.selector());
    assertThat(s.getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort() + ":" + p.getTargetPort().getStrVal())
        .containsExactly("http:8000:http", "grpc:8001:grpc");
  }

  @Test
  void templateHashIsStableAndFollowsTheTemplate() {
    String a = resources.templateHash(REF, revision(cpu()));

    assertThat(resources.templateHash(REF, revision(cpu()))).isEqualTo(a);
    assertThat(
            deployment(cpu())
                .getMetadata()
                .getAnnotations()
                .get(RevisionResources.TEMPLATE_HASH_ANNOTATION))
        .isEqualTo(a);
    RevisionResources otherImage =
        new RevisionResources(
            new PodSettings(
                "ghcr.io/serval/predictor:0.2.0",
                "IfNotPresent",
                Optional.empty(),
                8000,
                8001,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                "serval.io/node-group",
                Map.of()));
    assertThat(otherImage.templateHash(REF, revision(cpu()))).isNotEqualTo(a);
  }

  @Test
  void imagePullSecretsGoOnEveryPredictorPodAndIntoTheTemplateHash() {
    assertThat(deployment(cpu()).getSpec().getTemplate().getSpec().getImagePullSecrets())
        .as("none configured: the service account's apply")
        .isEmpty();

    RevisionResources withSecrets =
        new RevisionResources(
            new PodSettings(
                "registry.internal:5000/ml/predictor:0.1.0",
                "IfNotPresent",
                Optional.empty(),
                8000,
                8001,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                "serval.io/node-group",
                Map.of(),
                Optional.empty(),
                List.of("regcred", " mirror-cred ", "")));
    Deployment d = withSecrets.deployment(REF, revision(cpu()), 1, null);
    assertThat(d.getSpec().getTemplate().getSpec().getImagePullSecrets())
        .extracting(r -> r.getName())
        .containsExactly("regcred", "mirror-cred");
    assertThat(withSecrets.templateHash(REF, revision(cpu())))
        .as("a pull secret added by an operator upgrade rolls the pods")
        .isNotEqualTo(resources.templateHash(REF, revision(cpu())));
  }

  @Test
  void imagePullSecretsAreReadFromTheOperatorsConfig() {
    io.smallrye.config.SmallRyeConfig config =
        new io.smallrye.config.SmallRyeConfigBuilder()
            // Quarkus' own converter of "5s"-style durations, as in the running operator
            .withConverter(
                Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
            .withDefaultValues(
                Map.of("serval.operator.kubernetes.image-pull-secrets", "regcred,mirror-cred"))
            .withMapping(io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig.class)
            .build();
    PodSettings pod =
        PodSettings.from(
            config.getConfigMapping(
                io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig.class));
    assertThat(pod.imagePullSecrets()).containsExactly("regcred", "mirror-cred");
  }

  @Test
  void anS3SecretBecomesThePredictorsEnvironmentByReference() {
    assertThat(container(deployment(cpu())).getEnvFrom())
        .as("none configured: no S3 settings")
        .isEmpty();

    RevisionResources withS3 =
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
                Map.of(),
                Optional.empty(),
                List.of(),
                Optional.of("model-store")));
    Container c = container(withS3.deployment(REF, revision(cpu()), 1, null));
    assertThat(c.getEnvFrom())
        .singleElement()
        .satisfies(
            from -> {
              assertThat(from.getSecretRef().getName()).isEqualTo("model-store");
              assertThat(from.getSecretRef().getOptional()).isFalse();
            });
    assertThat(c.getEnv())
        .as("no credential is ever copied into the pod spec")
        .noneMatch(e -> e.getName().startsWith("AWS_"));
    assertThat(withS3.templateHash(REF, revision(cpu())))
        .as("a secret added by an operator upgrade rolls the pods")
        .isNotEqualTo(resources.templateHash(REF, revision(cpu())));
  }

  @Test
  void theS3SecretIsReadFromTheOperatorsConfig() {
    io.smallrye.config.SmallRyeConfig config =
        new io.smallrye.config.SmallRyeConfigBuilder()
            .withConverter(
                Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
            .withDefaultValues(
                Map.of("serval.operator.kubernetes.predictor-s3-secret", "model-store"))
            .withMapping(io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig.class)
            .build();
    PodSettings pod =
        PodSettings.from(
            config.getConfigMapping(
                io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig.class));
    assertThat(pod.s3Secret()).contains("model-store");
  }

  @Test
  void badPodSettingsFailFastNamingTheKey() {
    assertThatThrownBy(
            () ->
                new PodSettings(
                    "img",
                    "Always",
                    Optional.empty(),
                    8000,
                    8001,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(30),
                    "g",
                    Map.of()))
        .hasMessageContaining("drain-delay");
    assertThatThrownBy(
            () ->
                new PodSettings(
                    "img",
                    "Always",
                    Optional.empty(),
                    8000,
                    8001,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    "g",
                    Map.of("spot", 101)))
        .hasMessageContaining("node-group-priority.spot");
  }
}
