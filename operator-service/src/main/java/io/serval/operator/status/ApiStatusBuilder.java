package io.serval.operator.status;

import io.serval.operator.OperatorConfig;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import io.serval.security.UriRedaction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Derives an API's status from its record and its replicas, the same on every runtime (the
 * management API's views and the Kubernetes custom resources use this one builder). Pure apart from
 * {@link TransitionTimes}, which remembers when each condition changed.
 */
@Singleton
public class ApiStatusBuilder {

  private final String routerUrl;
  private final int crashLoopRestarts;
  private final boolean runtimeRunsReplicas;
  private final TransitionTimes times;

  @Inject
  public ApiStatusBuilder(OperatorConfig config, Clock clock) {
    this(
        config.routerUrl(),
        config.crashLoopRestarts(),
        config.runtime().runsReplicas(),
        new TransitionTimes(clock));
  }

  /**
   * @param crashLoopRestarts restarts of one replica from which the API is Degraded
   */
  public ApiStatusBuilder(
      String routerUrl, int crashLoopRestarts, boolean runtimeRunsReplicas, TransitionTimes times) {
    this.routerUrl = routerUrl.replaceAll("/+$", "");
    this.crashLoopRestarts = crashLoopRestarts;
    this.runtimeRunsReplicas = runtimeRunsReplicas;
    this.times = times;
  }

  /** Whether a replica has died often enough to count as crash-looping. */
  public boolean crashLooping(ReplicaInfo replica) {
    return replica.restarts() >= crashLoopRestarts;
  }

  public ApiStatus build(ApiRecord r, List<ReplicaInfo> replicas, long observedGeneration) {
    String current = r.revision();
    int ready = (int) replicas.stream().filter(ReplicaInfo::ready).count();
    int upToDate =
        (int) replicas.stream().filter(x -> x.ready() && x.revision().equals(current)).count();
    Set<String> shown = new LinkedHashSet<>(r.traffic().keySet());
    shown.add(current);
    List<ApiStatus.RevisionStatus> revisions = new ArrayList<>();
    for (String rev : shown) {
      int readyHere =
          (int) replicas.stream().filter(x -> x.ready() && x.revision().equals(rev)).count();
      revisions.add(
          new ApiStatus.RevisionStatus(
              rev, r.traffic().getOrDefault(rev, 0), readyHere, rev.equals(current)));
    }
    List<Condition> conditions =
        times.stamp(
            RealtimeApi.KIND + "/" + r.name(),
            List.of(
                readyCondition(r, upToDate, current),
                rolloutCondition(r.rollout()),
                degradedCondition(replicas)));
    return new ApiStatus(
            observedGeneration,
            conditions,
            new ApiStatus.Replicas(r.desiredReplicas(), ready, upToDate),
            revisions,
            routerUrl + "/v2/models/" + r.name(),
            r.scaleReason())
        .observing(observedGeneration);
  }

  private Condition readyCondition(ApiRecord r, int upToDate, String current) {
    if (!runtimeRunsReplicas) {
      return Condition.of(
          ConditionStatus.Unknown,
          ConditionReason.NoRuntime,
          "runtime none: replicas are not run by this operator");
    }
    if (r.desiredReplicas() == 0) {
      return Condition.of(true, ConditionReason.ScaledToZero, "no replicas requested");
    }
    String msg =
        upToDate + "/" + r.desiredReplicas() + " replicas of revision " + current + " ready";
    return upToDate >= r.desiredReplicas()
        ? Condition.of(true, ConditionReason.AllReplicasReady, msg)
        : Condition.of(false, ConditionReason.ReplicasNotReady, msg);
  }

  private static Condition rolloutCondition(RolloutState s) {
    if (s == null) {
      return Condition.of(false, ConditionReason.NoRollout, "one revision deployed");
    }
    ConditionReason reason =
        switch (s.phase()) {
          case WAITING_FOR_READY -> ConditionReason.WaitingForReady;
          case SHIFTING -> ConditionReason.ShiftingTraffic;
          case COMPLETE -> ConditionReason.Complete;
          case ROLLED_BACK -> ConditionReason.RolledBack;
        };
    return Condition.of(s.inProgress(), reason, s.message());
  }

  /**
   * Degraded: CrashLoop while a replica has died {@code crashLoopRestarts} times since it was last
   * stable; else ReplicaCrashed while a replica's last crash is not yet forgotten (the runtime
   * forgets it once the replica has been ready again for its stable-after period: 60s by default on
   * the local runtime); else Healthy.
   */
  private Condition degradedCondition(List<ReplicaInfo> replicas) {
    Optional<ReplicaInfo> looping = replicas.stream().filter(this::crashLooping).findFirst();
    if (looping.isPresent()) {
      ReplicaInfo x = looping.get();
      String how = x.lastCrash() != null ? x.lastCrash() : x.message();
      return Condition.of(
          true,
          ConditionReason.CrashLoop,
          "replica "
              + x.id()
              + " died "
              + x.restarts()
              + " times"
              + (how == null ? "" : ": " + UriRedaction.redactIn(how)));
    }
    Optional<ReplicaInfo> crashed =
        replicas.stream().filter(x -> x.lastCrash() != null).findFirst();
    if (crashed.isPresent()) {
      ReplicaInfo x = crashed.get();
      long others = replicas.stream().filter(y -> y.lastCrash() != null).count() - 1;
      return Condition.of(
          true,
          ConditionReason.ReplicaCrashed,
          "replica "
              + x.id()
              + " "
              + x.lastCrash()
              + (x.ready() ? "; restarted and ready" : "; restarting")
              + (others > 0 ? " (and " + others + " more crashed)" : ""));
    }
    return Condition.of(false, ConditionReason.Healthy, "no replica is crash-looping");
  }
}
