package io.serval.autoscaler.control;

import io.serval.autoscaler.scaling.ScalingDecision;
import io.serval.autoscaler.scaling.ScalingState;
import java.time.Instant;
import java.util.Optional;

/**
 * What the autoscaler knows about one API. The scaling state belongs to the tick thread; the other
 * fields are published for readers (REST, metrics, delivery).
 */
public final class ApiEntry {

  private final String name;
  private final ScalingState state = new ScalingState();
  private volatile ScalingDecision lastDecision;
  private volatile String specError;
  private volatile Instant specErrorAt;
  private volatile Delivery delivery;

  ApiEntry(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  ScalingState state() {
    return state;
  }

  public Optional<ScalingDecision> lastDecision() {
    return Optional.ofNullable(lastDecision);
  }

  /** Why the API's spec could not be used at the last tick; empty when it could. */
  public Optional<String> specError() {
    return Optional.ofNullable(specError);
  }

  public Optional<Instant> specErrorAt() {
    return Optional.ofNullable(specErrorAt);
  }

  public Optional<Delivery> delivery() {
    return Optional.ofNullable(delivery);
  }

  public boolean inPanic() {
    return lastDecision != null && lastDecision.panic();
  }

  void decided(ScalingDecision decision) {
    lastDecision = decision;
    specError = null;
    specErrorAt = null;
  }

  void invalidSpec(String message, Instant at) {
    specError = message;
    specErrorAt = at;
  }

  void delivery(Delivery d) {
    delivery = d;
  }
}
