package io.serval.operator.status;

import io.serval.operator.OperatorConfig;
import io.serval.operator.spec.SplitTarget;
import io.serval.operator.spec.TrafficSplitter;
import io.serval.operator.state.SplitterRecord;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A splitter's status, on every runtime: Ready False when an API it sends traffic to (shadows
 * aside) is missing or not Ready, Unknown when none is not Ready but some cannot tell (runtime
 * none), else True. The one owner of this rule.
 */
@Singleton
public class SplitterStatusBuilder {

  private final String routerUrl;
  private final TransitionTimes times;

  @Inject
  public SplitterStatusBuilder(OperatorConfig config, Clock clock) {
    this(config.routerUrl(), new TransitionTimes(clock));
  }

  public SplitterStatusBuilder(String routerUrl, TransitionTimes times) {
    this.routerUrl = routerUrl.replaceAll("/+$", "");
    this.times = times;
  }

  /**
   * @param apiReady the Ready status of each API by name; empty when there is no such API
   */
  public SplitterStatus build(
      SplitterRecord r,
      Function<String, Optional<ConditionStatus>> apiReady,
      long observedGeneration) {
    List<String> notReady = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (SplitTarget t : r.splitter().spec().apis()) {
      if (t.shadow()) {
        continue;
      }
      ConditionStatus s = apiReady.apply(t.name()).orElse(ConditionStatus.False);
      if (s == ConditionStatus.False) {
        notReady.add(t.name());
      } else if (s == ConditionStatus.Unknown) {
        unknown.add(t.name());
      }
    }
    Condition ready;
    if (!notReady.isEmpty()) {
      ready =
          Condition.of(
              false, ConditionReason.ApisNotReady, "not ready: " + String.join(", ", notReady));
    } else if (!unknown.isEmpty()) {
      ready =
          Condition.of(
              ConditionStatus.Unknown,
              ConditionReason.ApisReadinessUnknown,
              "readiness unknown: " + String.join(", ", unknown));
    } else {
      ready =
          Condition.of(
              true, ConditionReason.AllApisReady, "every API behind the splitter is ready");
    }
    return new SplitterStatus(
        observedGeneration,
        times.stamp(
            TrafficSplitter.KIND + "/" + r.name(), List.of(ready.observing(observedGeneration))),
        routerUrl + "/v2/models/" + r.name());
  }
}
