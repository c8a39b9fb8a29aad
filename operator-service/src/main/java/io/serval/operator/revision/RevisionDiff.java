package io.serval.operator.revision;

import io.serval.operator.spec.RealtimeApiSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a new spec changes against the deployed one. A change to model, predictor or compute is a
 * new revision (new replicas, a rollout); traffic, autoscaling, rollout and async settings apply in
 * place.
 */
public record RevisionDiff(Change change, List<String> changedSections) {

  public enum Change {
    UNCHANGED,
    IN_PLACE,
    NEW_REVISION
  }

  public RevisionDiff {
    changedSections = List.copyOf(changedSections);
  }

  public static RevisionDiff between(RealtimeApiSpec deployed, RealtimeApiSpec proposed) {
    List<String> revisionSections = new ArrayList<>();
    List<String> inPlaceSections = new ArrayList<>();
    collect("model", deployed.model(), proposed.model(), revisionSections);
    collect("predictor", deployed.predictor(), proposed.predictor(), revisionSections);
    collect("compute", deployed.compute(), proposed.compute(), revisionSections);
    collect("traffic", deployed.traffic(), proposed.traffic(), inPlaceSections);
    collect("autoscaling", deployed.autoscaling(), proposed.autoscaling(), inPlaceSections);
    collect("rollout", deployed.rollout(), proposed.rollout(), inPlaceSections);
    collect("async", deployed.async(), proposed.async(), inPlaceSections);
    List<String> all = new ArrayList<>(revisionSections);
    all.addAll(inPlaceSections);
    if (!revisionSections.isEmpty()) {
      return new RevisionDiff(Change.NEW_REVISION, all);
    }
    if (!inPlaceSections.isEmpty()) {
      return new RevisionDiff(Change.IN_PLACE, all);
    }
    return new RevisionDiff(Change.UNCHANGED, List.of());
  }

  private static void collect(String name, Object a, Object b, List<String> into) {
    if (!Objects.equals(a, b)) {
      into.add(name);
    }
  }
}
