package io.serval.autoscaler.simulation;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A fluid model of an API's replicas behind a router: requests arrive at load / serviceTime per
 * second, each replica executes up to {@code capacityPerReplica} at once, the rest wait in one
 * bounded queue (the router's), and a new replica serves only after its start-up delay.
 */
public final class ReplicaModel {

  /**
   * @param capacityPerReplica requests one replica executes at once (traffic.maxConcurrency)
   * @param serviceTimeSeconds how long one request executes
   * @param startupDelaySeconds from the scale-up request until the replica is ready
   * @param maxQueue requests waiting beyond the executing ones; more are rejected
   */
  public record Params(
      double capacityPerReplica,
      double serviceTimeSeconds,
      double startupDelaySeconds,
      double maxQueue) {

    /** Serval's example API: maxConcurrency 8, 0.5 s per request, 10 s start-up, queue 100. */
    public static Params defaults() {
      return new Params(8, 0.5, 10, 100);
    }
  }

  private final Params params;
  private final Deque<Double> startingReadyAt = new ArrayDeque<>();
  private int ready;
  private double inSystem;
  private double rejected;

  public ReplicaModel(Params params, int initialReady) {
    this.params = params;
    this.ready = initialReady;
  }

  /** Starts or stops replicas so that ready + starting equals {@code desired}. */
  public void setDesired(int desired, double now) {
    while (ready + startingReadyAt.size() < desired) {
      startingReadyAt.addLast(now + params.startupDelaySeconds());
    }
    while (ready + startingReadyAt.size() > desired) {
      if (!startingReadyAt.isEmpty()) {
        startingReadyAt.removeLast();
      } else {
        ready--;
      }
    }
  }

  /** Moves the model forward by {@code dt} seconds under {@code offeredLoad}. */
  public void advance(double now, double dt, double offeredLoad) {
    while (!startingReadyAt.isEmpty() && startingReadyAt.peekFirst() <= now) {
      startingReadyAt.removeFirst();
      ready++;
    }
    double completions = executing() / params.serviceTimeSeconds() * dt;
    inSystem += offeredLoad / params.serviceTimeSeconds() * dt - completions;
    double overflow = queued() - params.maxQueue();
    if (overflow > 0) {
      rejected += overflow;
      inSystem -= overflow;
    }
    if (offeredLoad == 0 && inSystem < 1e-3) {
      inSystem = 0; // the fluid never empties on its own; whole requests do
    }
  }

  public double inSystem() {
    return inSystem;
  }

  public double executing() {
    return Math.min(inSystem, capacity());
  }

  public double queued() {
    return Math.max(0, inSystem - capacity());
  }

  public double capacity() {
    return ready * params.capacityPerReplica();
  }

  public int ready() {
    return ready;
  }

  public int requested() {
    return ready + startingReadyAt.size();
  }

  public double rejected() {
    return rejected;
  }
}
