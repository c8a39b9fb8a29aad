package io.serval.operator.control;

import io.serval.operator.revision.RevisionDiff;
import io.serval.operator.revision.RevisionId;
import io.serval.operator.spec.Problems;
import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.spec.Resource;
import io.serval.operator.spec.SplitTarget;
import io.serval.operator.spec.TrafficSplitter;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RevisionRecord;
import io.serval.operator.state.RolloutState;
import io.serval.operator.state.SplitterRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what a deploy, a rollback or a delete does to the deployed state, with the checks that
 * span resources (name clashes, splitter targets, APIs in use). Pure: no I/O, time passed in.
 */
public final class DeployPlanner {

  private final boolean rollouts;

  /**
   * @param rollouts whether a new revision waits for its replicas and shifts traffic by the rollout
   *     spec (a runtime that reports readiness); otherwise traffic moves at once
   */
  public DeployPlanner(boolean rollouts) {
    this.rollouts = rollouts;
  }

  /**
   * @throws io.serval.operator.spec.SpecException listing every cross-resource problem
   */
  public List<PlannedChange> plan(
      List<Resource> resources,
      Map<String, ApiRecord> apis,
      Map<String, SplitterRecord> splitters,
      Instant now) {
    checkAcrossResources(resources, apis, splitters);
    List<PlannedChange> changes = new ArrayList<>();
    for (Resource r : resources) {
      changes.add(
          switch (r) {
            case RealtimeApi api -> planApi(api, apis.get(api.name()), now);
            case TrafficSplitter s -> planSplitter(s, splitters.get(s.name()), now);
          });
    }
    return changes;
  }

  private void checkAcrossResources(
      List<Resource> resources,
      Map<String, ApiRecord> apis,
      Map<String, SplitterRecord> splitters) {
    Problems problems = new Problems();
    Set<String> seen = new HashSet<>();
    Map<String, String> kinds = new HashMap<>();
    apis.keySet().forEach(n -> kinds.put(n, RealtimeApi.KIND));
    splitters.keySet().forEach(n -> kinds.put(n, TrafficSplitter.KIND));
    for (Resource r : resources) {
      Problems.Scope scope = problems.scope(r.name());
      if (!seen.add(r.name())) {
        scope.add("metadata.name", "appears more than once in this deploy");
      }
      String existing = kinds.get(r.name());
      if (existing != null && !existing.equals(r.kind())) {
        scope.add(
            "metadata.name",
            "already used by "
                + existing
                + " "
                + r.name()
                + " (APIs and splitters share one namespace)");
      }
    }
    Set<String> apiNames = new HashSet<>(apis.keySet());
    resources.stream().filter(r -> r instanceof RealtimeApi).forEach(r -> apiNames.add(r.name()));
    for (Resource r : resources) {
      if (r instanceof TrafficSplitter s) {
        Problems.Scope scope = problems.scope(s.name());
        List<SplitTarget> targets = s.spec().apis();
        for (int i = 0; i < targets.size(); i++) {
          String target = targets.get(i).name();
          if (target != null && !apiNames.contains(target)) {
            scope.add(
                "spec.apis[" + i + "].name",
                "no RealtimeApi named \"" + target + "\" in this deploy or already deployed");
          }
        }
      }
    }
    problems.throwIfAny();
  }

  private PlannedChange planApi(RealtimeApi api, ApiRecord current, Instant now) {
    String rev = RevisionId.of(api.spec());
    if (current == null) {
      ApiRecord created =
          new ApiRecord(
              api,
              1,
              List.of(RevisionRecord.of(rev, api.spec(), now)),
              Map.of(rev, 100),
              api.spec().autoscaling().initReplicas(),
              "initReplicas",
              null,
              now,
              now);
      return new PlannedChange(
          RealtimeApi.KIND, api.name(), PlannedChange.Action.created, List.of(), created, null);
    }
    RevisionDiff diff = RevisionDiff.between(current.api().spec(), api.spec());
    return switch (diff.change()) {
      case UNCHANGED ->
          new PlannedChange(
              RealtimeApi.KIND,
              api.name(),
              PlannedChange.Action.unchanged,
              List.of(),
              current,
              null);
      case IN_PLACE -> {
        int replicas = api.spec().autoscaling().clamp(current.desiredReplicas());
        ApiRecord configured =
            new ApiRecord(
                api,
                current.generation() + 1,
                current.history(),
                current.traffic(),
                replicas,
                replicas == current.desiredReplicas()
                    ? current.scaleReason()
                    : "clamped to new bounds",
                current.rollout(),
                current.createdAt(),
                now);
        yield new PlannedChange(
            RealtimeApi.KIND,
            api.name(),
            PlannedChange.Action.configured,
            diff.changedSections(),
            configured,
            null);
      }
      case NEW_REVISION ->
          new PlannedChange(
              RealtimeApi.KIND,
              api.name(),
              PlannedChange.Action.updated,
              diff.changedSections(),
              toRevision(current, api, rev, now),
              null);
    };
  }

  /** The API moved to revision {@code rev} (a new spec, or a rollback to an older one). */
  private ApiRecord toRevision(ApiRecord current, RealtimeApi api, String rev, Instant now) {
    List<RevisionRecord> history = new ArrayList<>(current.history());
    RevisionRecord record = current.revision(rev).orElse(RevisionRecord.of(rev, api.spec(), now));
    history.removeIf(r -> r.id().equals(rev));
    history.add(record);
    while (history.size() > ApiRecord.HISTORY_LIMIT) {
      history.removeFirst();
    }
    // The revision serving most traffic is what the rollout starts from; a rollout interrupted
    // by a newer revision returns its partial share to it.
    String from =
        current.traffic().entrySet().stream()
            .max(
                Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
            .map(Map.Entry::getKey)
            .orElse(current.revision());
    RolloutState rollout;
    Map<String, Integer> traffic;
    if (from.equals(rev)) {
      rollout = RolloutState.complete(from, rev, now);
      traffic = Map.of(rev, 100);
    } else if (rollouts) {
      rollout = RolloutState.start(from, rev, now);
      traffic = Map.of(from, 100);
    } else {
      rollout = RolloutState.complete(from, rev, now);
      traffic = Map.of(rev, 100);
    }
    int replicas = api.spec().autoscaling().clamp(current.desiredReplicas());
    return new ApiRecord(
        api,
        current.generation() + 1,
        history,
        traffic,
        replicas,
        current.scaleReason(),
        rollout,
        current.createdAt(),
        now);
  }

  /** Back to the revision before the current one, through a normal rollout. */
  public ApiRecord rollback(ApiRecord current, Instant now) {
    List<RevisionRecord> history = current.history();
    // The revision an automatic rollback just left is not "the previous revision": it never
    // served all traffic, and going back to it would repeat the failure.
    RolloutState last = current.rollout();
    String failed =
        last != null && last.phase() == RolloutState.Phase.ROLLED_BACK ? last.to() : null;
    RevisionRecord previous = null;
    for (int i = history.size() - 2; i >= 0 && previous == null; i--) {
      RevisionRecord candidate = history.get(i);
      if (!candidate.id().equals(current.revision()) && !candidate.id().equals(failed)) {
        previous = candidate;
      }
    }
    if (previous == null) {
      throw new ResourceConflictException(current.name() + ": no earlier revision to roll back to");
    }
    RealtimeApi api =
        current
            .api()
            .withSpec(
                current
                    .api()
                    .spec()
                    .withRevisionSections(
                        previous.model(), previous.predictor(), previous.compute()));
    return toRevision(current, api, previous.id(), now);
  }

  private PlannedChange planSplitter(TrafficSplitter s, SplitterRecord current, Instant now) {
    if (current == null) {
      return new PlannedChange(
          TrafficSplitter.KIND,
          s.name(),
          PlannedChange.Action.created,
          List.of(),
          null,
          new SplitterRecord(s, 1, null, now, now));
    }
    if (current.splitter().equals(s)) {
      return new PlannedChange(
          TrafficSplitter.KIND, s.name(), PlannedChange.Action.unchanged, List.of(), null, current);
    }
    return new PlannedChange(
        TrafficSplitter.KIND,
        s.name(),
        PlannedChange.Action.configured,
        List.of("apis"),
        null,
        new SplitterRecord(
            s, current.generation() + 1, current.splitter(), current.createdAt(), now));
  }

  /** Back to the splitter's previous spec, if every API it names still exists. */
  public SplitterRecord rollback(SplitterRecord current, Set<String> apiNames, Instant now) {
    TrafficSplitter previous = current.previous();
    if (previous == null) {
      throw new ResourceConflictException(current.name() + ": no earlier spec to roll back to");
    }
    List<String> missing =
        previous.spec().apis().stream()
            .map(SplitTarget::name)
            .filter(n -> !apiNames.contains(n))
            .toList();
    if (!missing.isEmpty()) {
      throw new ResourceConflictException(
          current.name() + ": the earlier spec names APIs that no longer exist: " + missing);
    }
    return new SplitterRecord(
        previous, current.generation() + 1, current.splitter(), current.createdAt(), now);
  }

  /**
   * @throws ResourceConflictException when a splitter still sends traffic to the API
   */
  public void checkDeletable(String api, Map<String, SplitterRecord> splitters) {
    List<String> users =
        splitters.values().stream()
            .filter(s -> s.splitter().spec().apis().stream().anyMatch(t -> api.equals(t.name())))
            .map(SplitterRecord::name)
            .sorted()
            .toList();
    if (!users.isEmpty()) {
      throw new ResourceConflictException(
          api
              + " is used by traffic splitter "
              + String.join(", ", users)
              + "; change or delete the splitter first");
    }
  }
}
