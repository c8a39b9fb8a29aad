package io.serval.operator.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fabric8 mock API server in CRUD mode with Serval's generated CRDs installed, and the
 * application's Kubernetes client pointed at it.
 */
public class MockApiServerResource implements QuarkusTestResourceLifecycleManager {

  static volatile KubernetesMockServer server;

  @Override
  public Map<String, String> start() {
    server =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            true);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      for (String crd :
          List.of(
              "realtimeapis.serving.serval.io-v1.yml",
              "trafficsplitters.serving.serval.io-v1.yml")) {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + crd)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return Map.of(
          "quarkus.kubernetes-client.api-server-url", client.getConfiguration().getMasterUrl(),
          "quarkus.kubernetes-client.trust-certs", "true",
          "quarkus.kubernetes-client.namespace", "test");
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.destroy();
    }
  }

  static KubernetesClient client() {
    return server.createClient();
  }
}
