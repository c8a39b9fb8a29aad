package io.serval.operator.status;

import io.serval.operator.rollout.RolloutState;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.state.ApiRecord;
import io.serval.security.UriRedaction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Derives an API's status from its record and its replicas. Pure. */
public final class ApiStatusBuilder {

  private final String routerUrl;
  private final int crashLoopRestarts;
  private final boolean runtimeRunsReplicas;

  /**
   * @param crashLoopRestarts restarts of one replica from which the API is Degraded
   */
  public ApiStatusBuilder(String routerUrl, int crashLoopRestarts, boolean runtimeRunsReplicas) {
    this.routerUrl =
        routerUrl.endsWith("/") ? routerUrl.substring(0, routerUrl.length() - 1) : routerUrl;
    this.crashLoopRestarts = crashLoopRestarts;
    this.runtimeRunsReplicas = runtimeRunsReplicas;
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
        List.of(
            readyCondition(r, upToDate, current),
            rolloutCondition(r.rollout()),
            degradedCondition(replicas));
    return new ApiStatus(
        observedGeneration,
        conditions,
        new ApiStatus.Replicas(r.desiredReplicas(), ready, upToDate),
        revisions,
        routerUrl + "/v2/models/" + r.name(),
        r.scaleReason());
  }

  private Condition readyCondition(ApiRecord r, int upToDate, String current) {
    if (!runtimeRunsReplicas) {
      return new Condition(
          "Ready", "Unknown", "NoRuntime", "runtime none: replicas are not run by this operator");
    }
    if (r.desiredReplicas() == 0) {
      return Condition.of("Ready", true, "ScaledToZero", "no replicas requested");
    }
    String msg =
        upToDate + "/" + r.desiredReplicas() + " replicas of revision " + current + " ready";
    return upToDate >= r.desiredReplicas()
        ? Condition.of("Ready", true, "AllReplicasReady", msg)
        : Condition.of("Ready", false, "ReplicasNotReady", msg);
  }

  private static Condition rolloutCondition(RolloutState s) {
    if (s == null) {
      return Condition.of("RolloutInProgress", false, "NoRollout", "one revision deployed");
    }
    String reason =
        switch (s.phase()) {
          case WAITING_FOR_READY -> "WaitingForReady";
          case SHIFTING -> "ShiftingTraffic";
          case COMPLETE -> "Complete";
          case ROLLED_BACK -> "RolledBack";
        };
    return Condition.of("RolloutInProgress", s.inProgress(), reason, s.message());
  }

  /**
   * Degraded: CrashLoop while a replica has died {@code crashLoopRestarts} times since it was last
   * stable; else ReplicaCrashed while a replica's last crash is not yet forgotten (the runtime
   * forgets it once the replica has been ready again for its stable-after period: 60s by default on
   * the local runtime); else Healthy.
   */
  private Condition degradedCondition(List<ReplicaInfo> replicas) {
    Optional<ReplicaInfo> looping =
        replicas.stream().filter(x -> x.restarts() >= crashLoopRestarts).findFirst();
    if (looping.isPresent()) {
      ReplicaInfo x = looping.get();
      String how = x.lastCrash() != null ? x.lastCrash() : x.message();
      return Condition.of(
          "Degraded",
          true,
          "CrashLoop",
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
          "Degraded",
          true,
          "ReplicaCrashed",
          "replica "
              + x.id()
              + " "
              + x.lastCrash()
              + (x.ready() ? "; restarted and ready" : "; restarting")
              + (others > 0 ? " (and " + others + " more crashed)" : ""));
    }
    return Condition.of("Degraded", false, "Healthy", "no replica is crash-looping");
  }
}
