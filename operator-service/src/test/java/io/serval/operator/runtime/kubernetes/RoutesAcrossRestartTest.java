package io.serval.operator.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.stub.StreamObserver;
import io.serval.operator.routes.RoutePublisher;
import io.serval.operator.runtime.kubernetes.crd.CustomResourceKinds;
import io.serval.operator.state.StateStore;
import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.RouteSnapshot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route versions stay ordered when the operator restarts with an empty state directory (an emptyDir
 * in the chart), against fabric8's mock API server: the custom resources outlive the operator, the
 * version counter file does not.
 */
@EnableKubernetesMockClient(crud = true)
class RoutesAcrossRestartTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  KubernetesClient client;

  @TempDir Path tmp;

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

  /** A router's view of one watch stream. */
  private static final class Router implements StreamObserver<RouteSnapshot> {
    final List<RouteSnapshot> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onNext(RouteSnapshot s) {
      seen.add(s);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    RouteSnapshot last() {
      return seen.getLast();
    }

    List<String> apis() {
      return last().getApisList().stream().map(ApiRoute::getName).toList();
    }
  }

  private void apply(String name) {
    String yaml =
        """
        apiVersion: serving.serval.io/v1alpha1
        kind: RealtimeApi
        metadata: {name: %s, namespace: test}
        spec:
          model: {uri: "https://models.example/%s.onnx"}
          compute: {cpu: 500m, mem: 1Gi}
        """
            .formatted(name, name);
    client
        .genericKubernetesResources(CustomResourceKinds.REALTIME_API)
        .inNamespace("test")
        .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class))
        .createOr(op -> op.update());
  }

  private OperatorRig operator(Path stateDir) {
    OperatorRig rig = new OperatorRig(client, stateDir, Map.of());
    rigs.add(rig);
    return rig.start();
  }

  private static RoutePublisher publisher(OperatorRig rig, Path stateDir) {
    return new RoutePublisher(rig.registry, rig.runtime, new StateStore(stateDir), rig.clock);
  }

  /**
   * Applies the API, waits until the operator has it, and publishes as a ResourcesChanged would.
   */
  private static void change(
      RoutesAcrossRestartTest t, OperatorRig rig, RoutePublisher publisher, String api) {
    t.apply(api);
    await().atMost(WAIT).until(() -> rig.registry.api(api).isPresent());
    publisher.refresh();
  }

  @Test
  void versionsAfterARestartWithAnEmptyStateDirectoryAreHigherAndRoutersGetTheChange()
      throws Exception {
    Path firstState = Files.createDirectories(tmp.resolve("first"));
    OperatorRig first = operator(firstState);
    RoutePublisher firstRoutes = publisher(first, firstState);
    Router router = new Router();
    firstRoutes.subscribe("router-1", router);
    for (int i = 1; i <= 3; i++) {
      change(this, first, firstRoutes, "api-" + i);
    }
    await().atMost(WAIT).until(() -> router.apis().equals(List.of("api-1", "api-2", "api-3")));
    List<Long> before = router.seen.stream().map(RouteSnapshot::getVersion).toList();
    assertThat(before).isSorted().doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(4);
    long lastBefore = router.last().getVersion();

    // The operator pod is replaced: its emptyDir state directory is gone, the custom resources
    // stay.
    first.close();
    Path secondState = Files.createDirectories(tmp.resolve("second"));
    OperatorRig second = operator(secondState);
    second.clock.advance(Duration.ofSeconds(1)); // a restart takes time
    await()
        .atMost(WAIT)
        .until(
            () ->
                second.registry.apis().size() == 3
                    && second.registry.apis().stream().allMatch(a -> a.name().startsWith("api-")));
    RoutePublisher secondRoutes = publisher(second, secondState);
    Router reconnected = new Router();
    secondRoutes.subscribe("router-1", reconnected);
    await().atMost(WAIT).until(() -> !reconnected.seen.isEmpty());
    assertThat(reconnected.last().getVersion()).isGreaterThan(lastBefore);
    assertThat(reconnected.apis()).containsExactly("api-1", "api-2", "api-3");

    change(this, second, secondRoutes, "api-4");
    await().atMost(WAIT).until(() -> reconnected.apis().contains("api-4"));
    List<Long> after = reconnected.seen.stream().map(RouteSnapshot::getVersion).toList();
    assertThat(after).isSorted().doesNotHaveDuplicates();
    assertThat(after.getFirst()).isGreaterThan(lastBefore);
  }
}
