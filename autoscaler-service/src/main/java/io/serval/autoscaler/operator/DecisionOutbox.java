package io.serval.autoscaler.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decisions not yet delivered to the operator, at most one per API: a newer decision replaces
 * the older one, and a delivery completes only the decision it sent, so nothing newer is lost and
 * nothing is sent twice. Thread-safe.
 */
public final class DecisionOutbox {

  /** A decision waiting for delivery; {@code sequence} tells versions of one API apart. */
  public record Pending(String api, int replicas, String reason, long sequence) {}

  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private long sequence;

  /** Keeps this as the API's decision to deliver; an identical pending one stays as it is. */
  public synchronized Pending offer(String api, int replicas, String reason) {
    Pending current = pending.get(api);
    if (current != null && current.replicas() == replicas) {
      return current;
    }
    Pending p = new Pending(api, replicas, reason, ++sequence);
    pending.put(api, p);
    return p;
  }

  /** The operator already runs what the latest decision asks: nothing left to send. */
  public synchronized void cancel(String api) {
    pending.remove(api);
  }

  public synchronized List<Pending> snapshot() {
    return new ArrayList<>(pending.values());
  }

  /** Removes {@code p} if it is still the API's latest decision; true if it was. */
  public synchronized boolean complete(Pending p) {
    return pending.remove(p.api(), p);
  }

  public synchronized void retainOnly(Set<String> apis) {
    pending.keySet().retainAll(apis);
  }

  public synchronized int size() {
    return pending.size();
  }
}
