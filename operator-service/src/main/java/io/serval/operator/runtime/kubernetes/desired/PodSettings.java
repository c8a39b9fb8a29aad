package io.serval.operator.runtime.kubernetes.desired;

import io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every predictor pod shares, whatever its revision. */
public record PodSettings(
    String image,
    String imagePullPolicy,
    Optional<String> serviceAccount,
    int httpPort,
    int grpcPort,
    Duration drainDelay,
    Duration terminationGracePeriod,
    String nodeGroupLabel,
    Map<String, Integer> nodeGroupPriority,
    Optional<String> otlpEndpoint,
    List<String> imagePullSecrets,
    Optional<String> s3Secret) {

  /** Without an S3 secret: predictors get no object-storage settings. */
  public PodSettings(
      String image,
      String imagePullPolicy,
      Optional<String> serviceAccount,
      int httpPort,
      int grpcPort,
      Duration drainDelay,
      Duration terminationGracePeriod,
      String nodeGroupLabel,
      Map<String, Integer> nodeGroupPriority,
      Optional<String> otlpEndpoint,
      List<String> imagePullSecrets) {
    this(
        image,
        imagePullPolicy,
        serviceAccount,
        httpPort,
        grpcPort,
        drainDelay,
        terminationGracePeriod,
        nodeGroupLabel,
        nodeGroupPriority,
        otlpEndpoint,
        imagePullSecrets,
        Optional.empty());
  }

  /** Without image pull secrets: the service account's apply. */
  public PodSettings(
      String image,
      String imagePullPolicy,
      Optional<String> serviceAccount,
      int httpPort,
      int grpcPort,
      Duration drainDelay,
      Duration terminationGracePeriod,
      String nodeGroupLabel,
      Map<String, Integer> nodeGroupPriority,
      Optional<String> otlpEndpoint) {
    this(
        image,
        imagePullPolicy,
        serviceAccount,
        httpPort,
        grpcPort,
        drainDelay,
        terminationGracePeriod,
        nodeGroupLabel,
        nodeGroupPriority,
        otlpEndpoint,
        List.of());
  }

  /** Without tracing: predictors get no OTLP endpoint. */
  public PodSettings(
      String image,
      String imagePullPolicy,
      Optional<String> serviceAccount,
      int httpPort,
      int grpcPort,
      Duration drainDelay,
      Duration terminationGracePeriod,
      String nodeGroupLabel,
      Map<String, Integer> nodeGroupPriority) {
    this(
        image,
        imagePullPolicy,
        serviceAccount,
        httpPort,
        grpcPort,
        drainDelay,
        terminationGracePeriod,
        nodeGroupLabel,
        nodeGroupPriority,
        Optional.empty());
  }

  public PodSettings {
    nodeGroupPriority = Map.copyOf(nodeGroupPriority);
    imagePullSecrets =
        imagePullSecrets.stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
    if (drainDelay.compareTo(terminationGracePeriod) >= 0) {
      throw new IllegalArgumentException(
          "serval.operator.kubernetes.drain-delay ("
              + drainDelay
              + ") must be shorter than termination-grace-period ("
              + terminationGracePeriod
              + ")");
    }
    nodeGroupPriority.forEach(
        (group, p) -> {
          if (p < 1 || p > 100) {
            throw new IllegalArgumentException(
                "serval.operator.kubernetes.node-group-priority."
                    + group
                    + " must be within 1-100, got "
                    + p);
          }
        });
  }

  public static PodSettings from(KubernetesRuntimeConfig c) {
    return new PodSettings(
        c.predictorImage(),
        c.imagePullPolicy(),
        c.predictorServiceAccount(),
        c.httpPort(),
        c.grpcPort(),
        c.drainDelay(),
        c.terminationGracePeriod(),
        c.nodeGroupLabel(),
        c.nodeGroupPriority(),
        c.predictorOtlpEndpoint().filter(e -> !e.isBlank()),
        c.imagePullSecrets().orElse(List.of()),
        c.predictorS3Secret().map(String::trim).filter(n -> !n.isEmpty()));
  }
}
