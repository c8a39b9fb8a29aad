package io.serval.autoscaler.scaling;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The outcome of one tick for one API, with its explanation.
 *
 * @param rawRecommendation in-flight window average / targetInFlight; empty when there were no
 *     samples (the decision then holds the current replicas)
 * @param steps the rules that changed the value, in order
 * @param wokenUp the API went from zero to some replicas since the previous tick
 */
public record ScalingDecision(
    Instant at,
    ScalingInput input,
    OptionalDouble rawRecommendation,
    List<ScalingStep> steps,
    int desiredReplicas,
    boolean panic,
    boolean wokenUp) {

  public boolean changesReplicas() {
    return desiredReplicas != input.currentReplicas();
  }

  /** One line for the operator's status: the value and the rule that set it last. */
  public String summary() {
    if (rawRecommendation.isEmpty()) {
      return "no in-flight samples: holding " + desiredReplicas;
    }
    String raw = String.format(java.util.Locale.ROOT, "%.2f", rawRecommendation.getAsDouble());
    String last = steps.isEmpty() ? "ceil" : steps.get(steps.size() - 1).rule();
    return "desired " + desiredReplicas + " from raw " + raw + " (last rule: " + last + ")";
  }
}
