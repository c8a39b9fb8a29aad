package io.serval.operator.runtime.kubernetes.desired;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.serval.operator.spec.ComputeSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A replica's resources from compute, as Cortex set them: cpu is requested (not limited, so a
 * replica may burst), mem is requested and limited, gpu and inf are whole devices (request =
 * limit), and each Inferentia chip comes with 128 2Mi huge pages.
 */
public final class ComputeResources {

  public static final String GPU = "nvidia.com/gpu";
  public static final String NEURON = "aws.amazon.com/neuron";
  public static final String HUGEPAGES = "hugepages-2Mi";

  /** Huge pages per Inferentia chip (Cortex: 128 pages of 2Mi). */
  static final long HUGEPAGES_BYTES_PER_INF = 128L * 2 * 1024 * 1024;

  private ComputeResources() {}

  public static ResourceRequirements of(ComputeSpec c) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (c.cpu() != null) {
      requests.put("cpu", new Quantity(c.cpu()));
    }
    if (c.mem() != null) {
      requests.put("memory", new Quantity(c.mem()));
      limits.put("memory", new Quantity(c.mem()));
    }
    if (c.gpu() > 0) {
      requests.put(GPU, new Quantity(Integer.toString(c.gpu())));
      limits.put(GPU, new Quantity(Integer.toString(c.gpu())));
    }
    if (c.inf() > 0) {
      Quantity chips = new Quantity(Integer.toString(c.inf()));
      Quantity pages =
          new Quantity(Long.toString(c.inf() * HUGEPAGES_BYTES_PER_INF / (1 << 20)), "Mi");
      requests.put(NEURON, chips);
      limits.put(NEURON, chips);
      requests.put(HUGEPAGES, pages);
      limits.put(HUGEPAGES, pages);
    }
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }
}
