package io.serval.it.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the test kubelet turns a container's env into a process's on a shared loopback. */
class PodProcessEnvTest {

  static Container container(EnvVar... env) {
    return new ContainerBuilder()
        .withName("predictor")
        .withPorts(
            new ContainerPortBuilder().withName("http").withContainerPort(8000).build(),
            new ContainerPortBuilder().withName("grpc").withContainerPort(8001).build())
        .withEnv(env)
        .build();
  }

  static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  @Test
  void containerPortsPathsAndThePodNameAreMappedToThePodsOwn() {
    Map<String, String> env =
        PodProcess.env(
            "a-r1-aaaaa",
            container(
                env("QUARKUS_HTTP_PORT", "8000"),
                env("QUARKUS_GRPC_SERVER_PORT", "8001"),
                env("SERVAL_PREDICTOR_MODEL_URI", "file:/models/a.onnx"),
                env("SERVAL_PREDICTOR_MODEL_CACHE_DIR", "/var/cache/serval/models"),
                env("SERVAL_PREDICTOR_WORKERS", "1"),
                // A number that happens to equal a container port is not a port setting.
                env("SERVAL_PREDICTOR_BATCHING_MAX_QUEUE_SIZE", "8000"),
                new EnvVarBuilder()
                    .withName("SERVAL_REPLICA_ID")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.name")
                    .endFieldRef()
                    .endValueFrom()
                    .build()),
            Map.of("http", 41000, "grpc", 41001),
            Map.of(
                "/models", Path.of("/tmp/it/models"),
                "/var/cache/serval/models", Path.of("/tmp/it/pods/a/cache")));

    assertThat(env)
        .containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1")
        .containsEntry("QUARKUS_HTTP_PORT", "41000")
        .containsEntry("QUARKUS_GRPC_SERVER_PORT", "41001")
        .containsEntry("SERVAL_PREDICTOR_MODEL_URI", "file:/tmp/it/models/a.onnx")
        .containsEntry("SERVAL_PREDICTOR_MODEL_CACHE_DIR", "/tmp/it/pods/a/cache")
        .containsEntry("SERVAL_PREDICTOR_WORKERS", "1")
        .containsEntry("SERVAL_PREDICTOR_BATCHING_MAX_QUEUE_SIZE", "8000")
        .containsEntry("SERVAL_REPLICA_ID", "a-r1-aaaaa");
  }

  @Test
  void aFieldReferenceItCannotResolveIsRefusedNotGuessed() {
    Container c =
        container(
            new EnvVarBuilder()
                .withName("NODE")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("spec.nodeName")
                .endFieldRef()
                .endValueFrom()
                .build());
    assertThatThrownBy(() -> PodProcess.env("p", c, Map.of("http", 1, "grpc", 2), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata.name");
  }
}
