package io.serval.operator.runtime.kubernetes.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaPhase;
import io.serval.operator.runtime.kubernetes.crd.ServalGroup;
import io.serval.operator.runtime.kubernetes.desired.RevisionResources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An API's replicas as its revisions' EndpointSlices show them (the EndpointSlice controller copies
 * the Service's API and revision labels onto them). Only ready, non-terminating endpoints are READY
 * and so routed; a terminating endpoint is STOPPING, so routers drop it while its pod drains. Pure.
 */
public final class EndpointSliceReplicas {

  private EndpointSliceReplicas() {}

  public static List<ReplicaInfo> of(String api, Collection<EndpointSlice> slices) {
    // One pod can appear in two slices while the controller moves it: keep the most ready view.
    Map<String, ReplicaInfo> byId = new LinkedHashMap<>();
    for (EndpointSlice s : slices) {
      Map<String, String> labels = s.getMetadata().getLabels();
      if (labels == null || !api.equals(labels.get(ServalGroup.API_LABEL))) {
        continue;
      }
      String revision = labels.get(ServalGroup.REVISION_LABEL);
      Integer grpcPort = port(s.getPorts(), RevisionResources.GRPC_PORT_NAME);
      Integer httpPort = port(s.getPorts(), RevisionResources.HTTP_PORT_NAME);
      if (revision == null || grpcPort == null || s.getEndpoints() == null) {
        continue;
      }
      for (Endpoint e : s.getEndpoints()) {
        if (e.getAddresses() == null || e.getAddresses().isEmpty()) {
          continue;
        }
        String host = host(e.getAddresses().getFirst());
        String id =
            e.getTargetRef() != null && e.getTargetRef().getName() != null
                ? e.getTargetRef().getName()
                : e.getAddresses().getFirst();
        ReplicaInfo info =
            new ReplicaInfo(
                id,
                revision,
                host + ":" + grpcPort,
                httpPort == null ? null : host + ":" + httpPort,
                phase(e.getConditions()),
                0,
                null);
        byId.merge(id, info, (a, b) -> a.ready() ? a : b);
      }
    }
    List<ReplicaInfo> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparing(ReplicaInfo::revision).thenComparing(ReplicaInfo::id));
    return out;
  }

  static ReplicaPhase phase(EndpointConditions c) {
    if (c == null) {
      // The API says a missing ready condition means ready.
      return ReplicaPhase.READY;
    }
    if (Boolean.TRUE.equals(c.getTerminating())) {
      return ReplicaPhase.STOPPING;
    }
    return Boolean.FALSE.equals(c.getReady()) ? ReplicaPhase.STARTING : ReplicaPhase.READY;
  }

  private static Integer port(List<EndpointPort> ports, String name) {
    if (ports == null) {
      return null;
    }
    return ports.stream()
        .filter(p -> name.equals(p.getName()))
        .map(EndpointPort::getPort)
        .findFirst()
        .orElse(null);
  }

  private static String host(String address) {
    return address.contains(":") ? "[" + address + "]" : address;
  }
}
