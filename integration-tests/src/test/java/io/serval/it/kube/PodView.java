package io.serval.it.kube;

import java.util.Map;

/**
 * What the EndpointSlice controller sees of a pod the test kubelet runs: its labels, its ports (one
 * loopback port per named container port) and where it is in its life.
 */
record PodView(String name, Map<String, String> labels, Map<String, Integer> ports, Phase phase) {

  enum Phase {
    /** Process started, readiness probe not yet answered. */
    STARTING,
    /** Readiness probe answered: routable. */
    READY,
    /** Being deleted: in preStop or past SIGTERM, still serving what it has. */
    TERMINATING
  }
}
