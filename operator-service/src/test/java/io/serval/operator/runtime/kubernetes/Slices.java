package io.serval.operator.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Map;

/**
 * EndpointSlices as the EndpointSlice controller writes them for a revision's Service (tests play
 * that controller, since the mock API server has none).
 */
final class Slices {

  private Slices() {}

  static EndpointSlice slice(String api, String revision, Endpoint... endpoints) {
    String service = api + "-" + revision;
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(service + "-abcde")
        .withLabels(
            Map.of(
                "kubernetes.io/service-name", service,
                "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io",
                "serving.serval.io/api", api,
                "serving.serval.io/revision", revision,
                "app.kubernetes.io/managed-by", "serval-operator"))
        .endMetadata()
        .withAddressType("IPv4")
        .withPorts(
            new EndpointPortBuilder().withName("http").withPort(8000).withProtocol("TCP").build(),
            new EndpointPortBuilder().withName("grpc").withPort(8001).withProtocol("TCP").build())
        .withEndpoints(endpoints)
        .build();
  }

  static Endpoint ready(String pod, String ip) {
    return endpoint(pod, ip, true, true, false);
  }

  static Endpoint endpoint(
      String pod, String ip, boolean ready, boolean serving, boolean terminating) {
    return new EndpointBuilder()
        .withAddresses(ip)
        .withNewConditions()
        .withReady(ready)
        .withServing(serving)
        .withTerminating(terminating)
        .endConditions()
        .withNewTargetRef()
        .withKind("Pod")
        .withName(pod)
        .endTargetRef()
        .build();
  }
}
