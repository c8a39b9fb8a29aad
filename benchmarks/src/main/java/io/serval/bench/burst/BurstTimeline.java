package io.serval.bench.burst;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The events of one burst, read from the probe's samples: the load step, the autoscaler's scale-up
 * decision and its delivery, the new replica's launch, its first healthy answer, the operator
 * routing it, and the first request it answered. Pure: every time is epoch milliseconds.
 *
 * @param stepAtMillis when the load stepped up
 * @param replicasBefore the replicas running before the step
 * @param decidedAt the first decision after the step that asked for more replicas
 * @param panic whether that decision was made in panic mode
 * @param decidedReplicas the replicas it asked for (0 when none)
 * @param deliveredAt when the operator took a scale-up decision (the autoscaler's delivery time)
 * @param newReplica the first replica launched after the step
 * @param launchedAt its process start, as the operator recorded it
 * @param healthyAt the first poll at which its readiness check answered 200
 * @param routedAt the first poll at which the operator counted more ready replicas than before
 * @param firstServedAt the first poll at which it had answered a request
 */
public record BurstTimeline(
    long stepAtMillis,
    int replicasBefore,
    OptionalLong decidedAt,
    boolean panic,
    int decidedReplicas,
    OptionalLong deliveredAt,
    Optional<String> newReplica,
    OptionalLong launchedAt,
    OptionalLong healthyAt,
    OptionalLong routedAt,
    OptionalLong firstServedAt) {

  /** The target of issue 16: a 4x step served by a new replica within 5 s. */
  public static final double TARGET_SECONDS = 5.0;

  /** One labelled instant, for the plot's markers. */
  public record Event(String label, long atMillis) {}

  /**
   * @param stepAtMillis when the load stepped up
   * @param before the ids of the replicas running before the step
   * @param samples the probe's samples in the order taken
   */
  public static BurstTimeline extract(
      long stepAtMillis, Set<String> before, List<ProbeSample> samples) {
    int replicasBefore = before.size();
    Decision decision = null;
    OptionalLong delivered = OptionalLong.empty();
    ReplicaState fresh = null;
    for (ProbeSample s : samples) {
      Optional<Decision> d = s.decision();
      if (decision == null
          && d.isPresent()
          && d.get().decidedAtMillis() >= stepAtMillis
          && d.get().desired() > replicasBefore) {
        decision = d.get();
      }
      if (delivered.isEmpty()
          && d.isPresent()
          && "DELIVERED".equals(d.get().deliveryState())
          && d.get().deliveredReplicas() > replicasBefore
          && d.get().deliveryAtMillis() >= stepAtMillis) {
        delivered = OptionalLong.of(d.get().deliveryAtMillis());
      }
      for (ReplicaState r : s.replicas()) {
        if (!before.contains(r.id())
            && (fresh == null || r.launchedAtMillis() < fresh.launchedAtMillis())) {
          fresh = r;
        }
      }
    }
    OptionalLong healthy = OptionalLong.empty();
    OptionalLong routed = OptionalLong.empty();
    OptionalLong served = OptionalLong.empty();
    for (ProbeSample s : samples) {
      if (s.atMillis() < stepAtMillis) {
        continue;
      }
      if (routed.isEmpty() && s.ready() > replicasBefore) {
        routed = OptionalLong.of(s.atMillis());
      }
      if (fresh == null) {
        continue;
      }
      Optional<ReplicaState> r = find(s.replicas(), fresh.id());
      if (healthy.isEmpty() && r.map(ReplicaState::healthy).orElse(false)) {
        healthy = OptionalLong.of(s.atMillis());
      }
      if (served.isEmpty() && r.map(x -> x.served() > 0).orElse(false)) {
        served = OptionalLong.of(s.atMillis());
      }
    }
    return new BurstTimeline(
        stepAtMillis,
        replicasBefore,
        decision == null ? OptionalLong.empty() : OptionalLong.of(decision.decidedAtMillis()),
        decision != null && decision.panic(),
        decision == null ? 0 : decision.desired(),
        delivered,
        Optional.ofNullable(fresh).map(ReplicaState::id),
        fresh == null ? OptionalLong.empty() : OptionalLong.of(fresh.launchedAtMillis()),
        healthy,
        routed,
        served);
  }

  private static Optional<ReplicaState> find(Collection<ReplicaState> replicas, String id) {
    return replicas.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** Seconds from the load step to the first request a new replica answered, if it did. */
  public Optional<Double> burstToServed() {
    return since(stepAtMillis, firstServedAt);
  }

  /** Seconds from the load step to the scale-up decision. */
  public Optional<Double> decision() {
    return since(stepAtMillis, decidedAt);
  }

  /** Seconds from the decision to the new replica's process start (delivery, reconcile, fork). */
  public Optional<Double> launch() {
    return decidedAt.isEmpty() ? Optional.empty() : since(decidedAt.getAsLong(), launchedAt);
  }

  /** Seconds from the new replica's process start to its first healthy answer. */
  public Optional<Double> coldStart() {
    return launchedAt.isEmpty() ? Optional.empty() : since(launchedAt.getAsLong(), healthyAt);
  }

  /** Seconds from the replica's first healthy answer to the first request it answered. */
  public Optional<Double> firstAnswer() {
    return healthyAt.isEmpty() ? Optional.empty() : since(healthyAt.getAsLong(), firstServedAt);
  }

  private static Optional<Double> since(long from, OptionalLong to) {
    return to.isPresent() ? Optional.of((to.getAsLong() - from) / 1000.0) : Optional.empty();
  }

  /** The events that happened, in time order, for the plot. */
  public List<Event> events() {
    List<Event> out = new ArrayList<>();
    out.add(new Event("load step", stepAtMillis));
    decidedAt.ifPresent(
        t -> out.add(new Event((panic ? "panic decision " : "decision ") + decidedReplicas, t)));
    deliveredAt.ifPresent(t -> out.add(new Event("delivered", t)));
    launchedAt.ifPresent(t -> out.add(new Event("replica launched", t)));
    healthyAt.ifPresent(t -> out.add(new Event("replica ready", t)));
    routedAt.ifPresent(t -> out.add(new Event("operator: ready", t)));
    firstServedAt.ifPresent(t -> out.add(new Event("first answer", t)));
    out.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
    return out;
  }

  /**
   * The figure line: {@code burst to served = X s (decision Y s + launch L s + cold start Z s +
   * first answer R s)}, the parts adding up to the whole; then whether the target is met and, when
   * it is not, by how much and which part is the largest.
   */
  public String summary() {
    if (burstToServed().isEmpty()) {
      return "burst to served: no request answered by a new replica within the run ("
          + parts()
          + ")";
    }
    double total = burstToServed().get();
    String verdict =
        total <= TARGET_SECONDS
            ? String.format(Locale.ROOT, "target <= %.0f s met", TARGET_SECONDS)
            : String.format(
                Locale.ROOT,
                "target <= %.0f s missed by %.2f s; largest part: %s",
                TARGET_SECONDS,
                total - TARGET_SECONDS,
                largestPart());
    return String.format(Locale.ROOT, "burst to served = %.2f s (%s); %s", total, parts(), verdict);
  }

  private String parts() {
    return String.join(
        " + ",
        part("decision", decision()),
        part("launch", launch()),
        part("cold start", coldStart()),
        part("first answer", firstAnswer()));
  }

  private static String part(String name, Optional<Double> seconds) {
    return seconds.map(s -> String.format(Locale.ROOT, "%s %.2f s", name, s)).orElse(name + " -");
  }

  private String largestPart() {
    String[] names = {"decision", "launch", "cold start", "first answer"};
    List<Optional<Double>> values = List.of(decision(), launch(), coldStart(), firstAnswer());
    String best = "?";
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < names.length; i++) {
      if (values.get(i).isPresent() && values.get(i).get() > max) {
        max = values.get(i).get();
        best = names[i];
      }
    }
    return best;
  }
}
