package io.serval.it.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EndpointSlices the EndpointSlice controller keeps for Services with a selector: the Service's
 * labels plus {@code kubernetes.io/service-name}, one endpoint per selected pod with the
 * ready/serving/terminating conditions, and the ports resolved from the Service's target ports to
 * the pod's. The controller groups endpoints by their port numbers; every pod here has ports of its
 * own (they share one loopback interface), so every pod gets a slice of its own. Pure.
 */
final class PodSlices {

  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  static final String CONTROLLER = "endpointslice-controller.k8s.io";

  private PodSlices() {}

  /** Slices by name, for every Service with a selector and every pod it selects. */
  static Map<String, EndpointSlice> of(Collection<Service> services, Collection<PodView> pods) {
    Map<String, EndpointSlice> out = new LinkedHashMap<>();
    for (Service s : services) {
      Map<String, String> selector = s.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        continue;
      }
      for (PodView pod : pods) {
        if (pod.labels().entrySet().containsAll(selector.entrySet())) {
          EndpointSlice slice = slice(s, pod);
          out.put(slice.getMetadata().getName(), slice);
        }
      }
    }
    return out;
  }

  private static EndpointSlice slice(Service s, PodView pod) {
    String service = s.getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>();
    if (s.getMetadata().getLabels() != null) {
      labels.putAll(s.getMetadata().getLabels());
    }
    labels.put(SERVICE_NAME_LABEL, service);
    labels.put(MANAGED_BY_LABEL, CONTROLLER);
    List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports = new ArrayList<>();
    for (ServicePort p : s.getSpec().getPorts()) {
      String target =
          p.getTargetPort() == null || p.getTargetPort().getStrVal() == null
              ? p.getName()
              : p.getTargetPort().getStrVal();
      Integer podPort = pod.ports().get(target);
      if (podPort != null) {
        ports.add(
            new EndpointPortBuilder()
                .withName(p.getName())
                .withPort(podPort)
                .withProtocol(p.getProtocol())
                .withAppProtocol(p.getAppProtocol())
                .build());
      }
    }
    boolean terminating = pod.phase() == PodView.Phase.TERMINATING;
    boolean serving = pod.phase() != PodView.Phase.STARTING;
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(service + "-" + suffix(pod.name()))
        .withLabels(labels)
        .endMetadata()
        .withAddressType("IPv4")
        .withPorts(ports)
        .withEndpoints(
            new EndpointBuilder()
                .withAddresses("127.0.0.1")
                .withNewConditions()
                // A terminating endpoint is never ready (the API's rule), serving while it
                // still passes its probe.
                .withReady(pod.phase() == PodView.Phase.READY)
                .withServing(serving)
                .withTerminating(terminating)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName(pod.name())
                .endTargetRef()
                .build())
        .build();
  }

  private static String suffix(String podName) {
    int dash = podName.lastIndexOf('-');
    return dash < 0 ? podName : podName.substring(dash + 1);
  }
}
