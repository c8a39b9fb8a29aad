package io.serval.operator.runtime.local.lifecycle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What to change in one revision's replicas (those not already stopping) to reach the desired
 * count: how many to start, or which to retire. Surplus replicas that are not ready go first (they
 * serve nothing), then the highest ids, so the oldest ready replicas keep serving.
 */
record ScaleDiff(int toStart, List<Replica> toRetire) {

  static ScaleDiff of(List<Replica> have, int want) {
    if (have.size() >= want) {
      List<Replica> surplus = new ArrayList<>(have);
      surplus.sort(
          Comparator.comparing(Replica::ready)
              .thenComparing(Replica::id, Comparator.reverseOrder()));
      return new ScaleDiff(0, List.copyOf(surplus.subList(0, have.size() - want)));
    }
    return new ScaleDiff(want - have.size(), List.of());
  }
}
