package io.serval.operator.control;

import io.serval.operator.spec.Problems;
import io.serval.operator.spec.ReplicaCap;
import io.serval.operator.state.ApiRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The total replica cap of a runtime, across APIs: the sum of every API's maxReplicas after a
 * deploy must stay within it. A deploy that does not raise the sum always passes, so lowering one
 * API is never blocked by the others. Pure.
 */
public final class ReplicaBudget {

  private ReplicaBudget() {}

  /**
   * @throws io.serval.operator.spec.SpecException naming each API the deploy raises, with the sum
   *     and the cap
   */
  public static void check(
      ReplicaCap cap, Map<String, ApiRecord> deployed, List<PlannedChange> plan) {
    Map<String, Integer> before = new HashMap<>();
    deployed.forEach((name, r) -> before.put(name, maxReplicas(r)));
    Map<String, Integer> after = new HashMap<>(before);
    for (PlannedChange c : plan) {
      if (c.api() != null) {
        after.put(c.name(), maxReplicas(c.api()));
      }
    }
    int oldSum = before.values().stream().mapToInt(Integer::intValue).sum();
    int newSum = after.values().stream().mapToInt(Integer::intValue).sum();
    if (newSum <= cap.total() || newSum <= oldSum) {
      return;
    }
    Problems problems = new Problems();
    for (PlannedChange c : plan) {
      if (c.api() != null && maxReplicas(c.api()) > before.getOrDefault(c.name(), 0)) {
        problems
            .scope(c.name())
            .add(
                "spec.autoscaling.maxReplicas",
                "the APIs on the "
                    + cap.runtime()
                    + " runtime would together allow "
                    + newSum
                    + " replicas, more than its total cap of "
                    + cap.total()
                    + " ("
                    + cap.totalKey()
                    + "); lower maxReplicas or delete an API");
      }
    }
    problems.throwIfAny();
  }

  private static int maxReplicas(ApiRecord r) {
    return r.api().spec().autoscaling().maxReplicas();
  }
}
