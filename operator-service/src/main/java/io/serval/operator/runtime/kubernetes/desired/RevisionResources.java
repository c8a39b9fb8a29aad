package io.serval.operator.runtime.kubernetes.desired;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.serval.operator.runtime.kubernetes.crd.ServalGroup;
import io.serval.operator.state.RevisionRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The desired Deployment and Service of one revision. Pure: the same inputs give equal objects. The
 * pod template's hash goes into an annotation, so that the reconciler replaces a Deployment only
 * when its template would change (an operator upgrade with a new image), never for replicas.
 */
public final class RevisionResources {

  public static final String TEMPLATE_HASH_ANNOTATION = ServalGroup.GROUP + "/template-hash";
  public static final String HTTP_PORT_NAME = "http";
  public static final String GRPC_PORT_NAME = "grpc";
  static final String CONTAINER_NAME = "predictor";
  static final String CACHE_VOLUME = "model-cache";

  private final PodSettings pod;

  public RevisionResources(PodSettings pod) {
    this.pod = pod;
  }

  public Deployment deployment(
      RevisionRef ref, RevisionRecord revision, int replicas, OwnerReference owner) {
    PodTemplateSpec template = template(ref, revision);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(ref.name())
        .withLabels(ref.labels())
        .withAnnotations(Map.of(TEMPLATE_HASH_ANNOTATION, hash(template)))
        .withOwnerReferences(owners(owner))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(ref.selector())
        .endSelector()
        // A revision never changes in place; surge so that a template change keeps capacity.
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString("25%"))
        .withMaxUnavailable(new IntOrString(0))
        .endRollingUpdate()
        .endStrategy()
        .withTemplate(template)
        .endSpec()
        .build();
  }

  public Service service(RevisionRef ref, OwnerReference owner) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ref.name())
        .withLabels(ref.labels())
        .withOwnerReferences(owners(owner))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(ref.selector())
        .withPorts(
            new ServicePortBuilder()
                .withName(HTTP_PORT_NAME)
                .withPort(pod.httpPort())
                .withTargetPort(new IntOrString(HTTP_PORT_NAME))
                .withProtocol("TCP")
                .build(),
            new ServicePortBuilder()
                .withName(GRPC_PORT_NAME)
                .withPort(pod.grpcPort())
                .withTargetPort(new IntOrString(GRPC_PORT_NAME))
                .withProtocol("TCP")
                .withAppProtocol("kubernetes.io/h2c")
                .build())
        .endSpec()
        .build();
  }

  /** The template hash a Deployment built from these inputs carries. */
  public String templateHash(RevisionRef ref, RevisionRecord revision) {
    return hash(template(ref, revision));
  }

  PodTemplateSpec template(RevisionRef ref, RevisionRecord revision) {
    var c = revision.compute();
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(ref.labels())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(pod.serviceAccount().orElse(null))
        .withImagePullSecrets(
            pod.imagePullSecrets().stream()
                .map(n -> new LocalObjectReferenceBuilder().withName(n).build())
                .toList())
        // A predictor never calls the Kubernetes API: a mounted token would only serve whoever
        // gets code running in the pod (a model file is code for ONNX Runtime's parsers).
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(pod.terminationGracePeriod().toSeconds())
        .withAffinity(NodePlacement.affinity(c, pod))
        .withTolerations(NodePlacement.tolerations(c, pod))
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewVolume()
        .withName(CACHE_VOLUME)
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .withContainers(
            new ContainerBuilder()
                .withName(CONTAINER_NAME)
                .withImage(pod.image())
                .withImagePullPolicy(pod.imagePullPolicy())
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .withPorts(
                    new ContainerPortBuilder()
                        .withName(HTTP_PORT_NAME)
                        .withContainerPort(pod.httpPort())
                        .withProtocol("TCP")
                        .build(),
                    new ContainerPortBuilder()
                        .withName(GRPC_PORT_NAME)
                        .withContainerPort(pod.grpcPort())
                        .withProtocol("TCP")
                        .build())
                .withEnv(PredictorEnv.of(ref, revision, pod))
                // S3 credentials and settings by reference: the operator never reads the secret.
                .withEnvFrom(PredictorEnv.s3Secret(pod))
                .withResources(ComputeResources.of(c))
                // Loading and warming a model takes a while: the startup probe holds off the
                // liveness probe until the predictor is up, however long the download takes.
                .withStartupProbe(probe("/v2/health/live", 5, 120))
                .withLivenessProbe(probe("/v2/health/live", 10, 3))
                .withReadinessProbe(probe("/v2/health/ready", 2, 2))
                .withNewLifecycle()
                .withNewPreStop()
                .withNewExec()
                .withCommand("sleep", Long.toString(pod.drainDelay().toSeconds()))
                .endExec()
                .endPreStop()
                .endLifecycle()
                .addNewVolumeMount()
                .withName(CACHE_VOLUME)
                .withMountPath(PredictorEnv.MODEL_CACHE_DIR)
                .endVolumeMount()
                .build())
        .endSpec()
        .build();
  }

  private Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(HTTP_PORT_NAME))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(1)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static List<OwnerReference> owners(OwnerReference owner) {
    return owner == null ? List.of() : List.of(owner);
  }

  private static String hash(PodTemplateSpec template) {
    try {
      byte[] json = Serialization.asJson(template).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(json))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
