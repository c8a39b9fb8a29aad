package io.serval.autoscaler.scaling;

import java.time.Instant;
import java.util.Optional;

/**
 * What the policy remembers about one API between ticks. Owned by one caller at a time (the tick
 * loop or the simulator); not thread-safe.
 */
public final class ScalingState {

  final RecommendationHistory history = new RecommendationHistory();
  Instant trackingStart;
  Instant panicSince;
  Instant panicLastTriggered;
  int lastObservedCurrent = -1;
  Instant lastWokenAt;
  Instant lastActiveAt;

  /** When panic mode began, empty when not panicking. */
  public Optional<Instant> panicSince() {
    return Optional.ofNullable(panicSince);
  }

  /** When the panic threshold was last reached, empty if never. */
  public Optional<Instant> panicLastTriggered() {
    return Optional.ofNullable(panicLastTriggered);
  }

  /** When the API was last seen going from zero to some replicas. */
  public Optional<Instant> lastWokenAt() {
    return Optional.ofNullable(lastWokenAt);
  }

  /** The last moment a request was seen in flight, as far as this state knows. */
  public Optional<Instant> lastActiveAt() {
    return Optional.ofNullable(lastActiveAt);
  }

  public boolean inPanic() {
    return panicSince != null;
  }
}
