package io.serval.it.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.serval.it.platform.ServiceJars;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's API server: fabric8's mock server in CRUD mode (objects kept, watches served) on a
 * loopback port over plain HTTP, with the chart's CRDs (deploy/helm/serval/crds) applied as {@code
 * helm install} would apply them.
 */
public final class MockCluster implements AutoCloseable {

  public static final String NAMESPACE = "serval";

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  public static MockCluster start() {
    MockCluster c = new MockCluster();
    try {
      c.applyCrds();
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void applyCrds() {
    Path dir = ServiceJars.repoDir().resolve("deploy/helm/serval/crds");
    for (String crd :
        List.of(
            "realtimeapis.serving.serval.io-v1.yml", "trafficsplitters.serving.serval.io-v1.yml")) {
      try (InputStream in = Files.newInputStream(dir.resolve(crd))) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the chart's CRD " + crd, e);
      }
    }
  }

  /** The test's own client (the test kubelet and the test's kubectl). */
  public KubernetesClient client() {
    return client;
  }

  public String masterUrl() {
    return client.getConfiguration().getMasterUrl();
  }

  /**
   * The operator's settings for this cluster: the Kubernetes client's master URL and namespace (in
   * a pod: the service account's), the rest as the chart's ConfigMap renders them.
   */
  public Map<String, String> operatorProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("serval.operator.runtime", "kubernetes");
    p.put("quarkus.kubernetes-client.api-server-url", masterUrl());
    p.put("quarkus.kubernetes-client.namespace", NAMESPACE);
    p.put("serval.operator.kubernetes.namespace", NAMESPACE);
    p.put("serval.operator.kubernetes.predictor-image", TestKubelet.PREDICTOR_IMAGE);
    // What a restarted or failed-over operator needs to converge quickly in a test; the chart's
    // defaults (60s, 10s) only make the periodic repair slower.
    p.put("serval.operator.kubernetes.reconcile-interval", "2s");
    p.put("serval.operator.kubernetes.resync", "30s");
    // No preStop hook runs here (the kubelet drains by marking the endpoint terminating first).
    p.put("serval.operator.kubernetes.drain-delay", "1s");
    p.put("serval.operator.kubernetes.termination-grace-period", "10s");
    // The chart's 15s/10s/2s make a failover take up to 15 s; shorter, so that a test sees one
    // within its bounds (and long enough for a GC pause on a loaded machine not to lose the Lease).
    p.put("serval.operator.kubernetes.leader-election.lease-duration", "6s");
    p.put("serval.operator.kubernetes.leader-election.renew-deadline", "4s");
    p.put("serval.operator.kubernetes.leader-election.retry-period", "1s");
    return p;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
