package io.serval.operator.runtime.kubernetes.desired;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.serval.operator.spec.ComputeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a replica may run. compute.nodeGroups restrict the pods to those groups (required node
 * affinity on the group label) and tolerate the groups' taints; with several groups each gets a
 * preferred affinity weighted by its priority, so the scheduler tries spot groups (high priority)
 * before on-demand ones (Cortex's priority expander pattern). GPU and Inferentia pods tolerate the
 * device taints.
 */
public final class NodePlacement {

  /** Weight of the first listed group when no priority is configured; each next one gets less. */
  static final int FIRST_GROUP_WEIGHT = 100;

  private NodePlacement() {}

  /** Null when the pod may run anywhere. */
  public static Affinity affinity(ComputeSpec c, PodSettings pod) {
    List<String> groups = c.nodeGroups();
    if (groups.isEmpty()) {
      return null;
    }
    List<PreferredSchedulingTerm> preferred = new ArrayList<>();
    if (groups.size() > 1) {
      for (int i = 0; i < groups.size(); i++) {
        String g = groups.get(i);
        preferred.add(
            new PreferredSchedulingTermBuilder()
                .withWeight(weight(g, i, pod.nodeGroupPriority()))
                .withNewPreference()
                .withMatchExpressions(
                    new NodeSelectorRequirementBuilder()
                        .withKey(pod.nodeGroupLabel())
                        .withOperator("In")
                        .withValues(g)
                        .build())
                .endPreference()
                .build());
      }
    }
    return new AffinityBuilder()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .withMatchExpressions(
            new NodeSelectorRequirementBuilder()
                .withKey(pod.nodeGroupLabel())
                .withOperator("In")
                .withValues(groups)
                .build())
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .withPreferredDuringSchedulingIgnoredDuringExecution(preferred)
        .endNodeAffinity()
        .build();
  }

  public static List<Toleration> tolerations(ComputeSpec c, PodSettings pod) {
    List<Toleration> out = new ArrayList<>();
    for (String g : c.nodeGroups()) {
      out.add(
          new TolerationBuilder()
              .withKey(pod.nodeGroupLabel())
              .withOperator("Equal")
              .withValue(g)
              .withEffect("NoSchedule")
              .build());
    }
    if (c.gpu() > 0) {
      out.add(device(ComputeResources.GPU));
    }
    if (c.inf() > 0) {
      out.add(device(ComputeResources.NEURON));
    }
    return out;
  }

  private static int weight(String group, int index, Map<String, Integer> priorities) {
    Integer p = priorities.get(group);
    return p != null ? p : Math.max(1, FIRST_GROUP_WEIGHT - index);
  }

  private static Toleration device(String key) {
    return new TolerationBuilder()
        .withKey(key)
        .withOperator("Exists")
        .withEffect("NoSchedule")
        .build();
  }
}
