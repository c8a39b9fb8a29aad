package io.serval.operator.kubernetes.status;

import io.serval.operator.kubernetes.crd.SplitterStatus;
import io.serval.operator.spec.SplitTarget;
import io.serval.operator.state.SplitterRecord;
import io.serval.operator.status.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A splitter is Ready when every API it sends traffic to (shadows aside) is Ready. Pure. */
public final class SplitterStatusBuilder {

  private SplitterStatusBuilder() {}

  public static SplitterStatus build(
      SplitterRecord r, Predicate<String> apiReady, long observedGeneration, String routerUrl) {
    List<String> notReady = new ArrayList<>();
    for (SplitTarget t : r.splitter().spec().apis()) {
      if (!t.shadow() && !apiReady.test(t.name())) {
        notReady.add(t.name());
      }
    }
    Condition ready =
        notReady.isEmpty()
            ? Condition.of("Ready", true, "AllApisReady", "every API behind the splitter is ready")
            : Condition.of(
                "Ready", false, "ApisNotReady", "not ready: " + String.join(", ", notReady));
    return new SplitterStatus(
        observedGeneration, List.of(ready), routerUrl + "/v2/models/" + r.name());
  }
}
