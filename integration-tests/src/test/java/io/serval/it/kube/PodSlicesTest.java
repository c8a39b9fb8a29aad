package io.serval.it.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test kubelet's EndpointSlice controller: what the operator's EndpointSliceReplicas reads. */
class PodSlicesTest {

  static final Map<String, String> REV_1 =
      Map.of("serving.serval.io/api", "a", "serving.serval.io/revision", "r1");

  static Service service() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("a-r1")
        .withLabels(Map.of("serving.serval.io/api", "a", "serving.serval.io/revision", "r1"))
        .endMetadata()
        .withNewSpec()
        .withSelector(REV_1)
        .withPorts(
            new ServicePortBuilder()
                .withName("http")
                .withPort(8000)
                .withTargetPort(new IntOrString("http"))
                .withProtocol("TCP")
                .build(),
            new ServicePortBuilder()
                .withName("grpc")
                .withPort(8001)
                .withTargetPort(new IntOrString("grpc"))
                .withProtocol("TCP")
                .withAppProtocol("kubernetes.io/h2c")
                .build())
        .endSpec()
        .build();
  }

  static PodView pod(String name, Map<String, String> labels, int http, PodView.Phase phase) {
    return new PodView(name, labels, Map.of("http", http, "grpc", http + 1), phase);
  }

  @Test
  void eachSelectedPodGetsASliceOfItsOwnWithItsPortsAndTheServicesLabels() {
    Map<String, EndpointSlice> slices =
        PodSlices.of(
            List.of(service()),
            List.of(
                pod("a-r1-aaaaa", REV_1, 40000, PodView.Phase.READY),
                pod("a-r1-bbbbb", REV_1, 40010, PodView.Phase.READY),
                pod(
                    "other-x-ccccc",
                    Map.of("serving.serval.io/api", "other"),
                    40020,
                    PodView.Phase.READY)));

    assertThat(slices).containsOnlyKeys("a-r1-aaaaa", "a-r1-bbbbb");
    EndpointSlice s = slices.get("a-r1-bbbbb");
    assertThat(s.getMetadata().getLabels())
        .containsEntry("kubernetes.io/service-name", "a-r1")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
        .containsEntry("serving.serval.io/api", "a")
        .containsEntry("serving.serval.io/revision", "r1");
    assertThat(s.getPorts())
        .extracting(p -> p.getName() + "=" + p.getPort())
        .containsExactly("http=40010", "grpc=40011");
    assertThat(s.getEndpoints()).singleElement();
    assertThat(s.getEndpoints().getFirst().getAddresses()).containsExactly("127.0.0.1");
    assertThat(s.getEndpoints().getFirst().getTargetRef().getName()).isEqualTo("a-r1-bbbbb");
  }

  @Test
  void conditionsFollowThePodsPhase() {
    Map<String, EndpointSlice> slices =
        PodSlices.of(
            List.of(service()),
            List.of(
                pod("a-r1-start", REV_1, 40000, PodView.Phase.STARTING),
                pod("a-r1-ready", REV_1, 40010, PodView.Phase.READY),
                pod("a-r1-going", REV_1, 40020, PodView.Phase.TERMINATING)));

    var starting = slices.get("a-r1-start").getEndpoints().getFirst().getConditions();
    var ready = slices.get("a-r1-ready").getEndpoints().getFirst().getConditions();
    var going = slices.get("a-r1-going").getEndpoints().getFirst().getConditions();
    assertThat(List.of(starting.getReady(), starting.getServing(), starting.getTerminating()))
        .containsExactly(false, false, false);
    assertThat(List.of(ready.getReady(), ready.getServing(), ready.getTerminating()))
        .containsExactly(true, true, false);
    assertThat(List.of(going.getReady(), going.getServing(), going.getTerminating()))
        .containsExactly(false, true, true);
  }

  @Test
  void aServiceWithoutASelectorGetsNoSlices() {
    Service headless = service();
    headless.getSpec().setSelector(null);
    assertThat(
            PodSlices.of(
                List.of(headless), List.of(pod("a-r1-aaaaa", REV_1, 40000, PodView.Phase.READY))))
        .isEmpty();
  }
}
