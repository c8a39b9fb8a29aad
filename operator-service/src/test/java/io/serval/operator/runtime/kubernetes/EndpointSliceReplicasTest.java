package io.serval.operator.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.operator.runtime.kubernetes.endpoints.EndpointSliceReplicas;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceReplicasTest {

  @Test
  void readyEndpointsAreReadyReplicasWithTheirGrpcAddress() {
    EndpointSlice slice =
        Slices.slice(
            "minilm", "rev1", Slices.ready("pod-a", "10.0.0.1"), Slices.ready("pod-b", "10.0.0.2"));

    List<ReplicaInfo> replicas = EndpointSliceReplicas.of("minilm", List.of(slice));

    assertThat(replicas)
        .extracting(
            ReplicaInfo::id, ReplicaInfo::revision, ReplicaInfo::grpcAddress, ReplicaInfo::phase)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pod-a", "rev1", "10.0.0.1:8001", ReplicaPhase.READY),
            org.assertj.core.groups.Tuple.tuple(
                "pod-b", "rev1", "10.0.0.2:8001", ReplicaPhase.READY));
    assertThat(replicas.getFirst().httpAddress()).isEqualTo("10.0.0.1:8000");
  }

  @Test
  void terminatingEndpointsAreStoppingEvenWhileServing() {
    EndpointSlice slice =
        Slices.slice(
            "minilm",
            "rev1",
            Slices.endpoint("pod-a", "10.0.0.1", true, true, true),
            Slices.endpoint("pod-b", "10.0.0.2", false, false, false));

    List<ReplicaInfo> replicas = EndpointSliceReplicas.of("minilm", List.of(slice));

    assertThat(replicas)
        .extracting(ReplicaInfo::phase)
        .containsExactly(ReplicaPhase.STOPPING, ReplicaPhase.STARTING);
    assertThat(replicas).noneMatch(ReplicaInfo::ready);
  }

  @Test
  void otherApisAndSlicesWithoutAGrpcPortAreIgnored() {
    EndpointSlice other = Slices.slice("other", "rev1", Slices.ready("pod-x", "10.0.0.9"));
    EndpointSlice noPorts = Slices.slice("minilm", "rev1", Slices.ready("pod-y", "10.0.0.8"));
    noPorts.setPorts(List.of());

    assertThat(EndpointSliceReplicas.of("minilm", List.of(other, noPorts))).isEmpty();
  }

  @Test
  void aPodInTwoSlicesCountsOnceAtItsMostReady() {
    EndpointSlice a =
        Slices.slice("minilm", "rev1", Slices.endpoint("pod-a", "10.0.0.1", false, false, false));
    EndpointSlice b = Slices.slice("minilm", "rev1", Slices.ready("pod-a", "10.0.0.1"));

    assertThat(EndpointSliceReplicas.of("minilm", List.of(a, b)))
        .singleElement()
        .satisfies(r -> assertThat(r.ready()).isTrue());
  }

  @Test
  void ipv6AddressesAreBracketed() {
    EndpointSlice slice = Slices.slice("minilm", "rev1", Slices.ready("pod-a", "fd00::1"));

    assertThat(EndpointSliceReplicas.of("minilm", List.of(slice)).getFirst().grpcAddress())
        .isEqualTo("[fd00::1]:8001");
  }
}
