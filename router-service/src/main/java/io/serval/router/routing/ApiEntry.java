package io.serval.router.routing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** One API as the current routes describe it; immutable. */
public final class ApiEntry {
  private final String name;
  private final String modelName;
  private final int maxConcurrency;
  private final int maxQueueLength;
  private final Duration timeout;
  private final boolean scaledToZero;
  private final Optional<Duration> asyncResultTtl;
  private final List<RevisionEntry> revisions;
  private final Map<String, RevisionEntry> byName;
  private final WeightedPicker revisionPicker;
  private final Map<String, List<String>> replicasByRevision;

  ApiEntry(
      String name,
      String modelName,
      int maxConcurrency,
      int maxQueueLength,
      Duration timeout,
      boolean scaledToZero,
      Optional<Duration> asyncResultTtl,
      List<RevisionEntry> revisions) {
    this.name = name;
    this.modelName = modelName;
    this.maxConcurrency = maxConcurrency;
    this.maxQueueLength = maxQueueLength;
    this.timeout = timeout;
    this.scaledToZero = scaledToZero;
    this.asyncResultTtl = asyncResultTtl;
    this.revisions = List.copyOf(revisions);
    Map<String, RevisionEntry> byName = new LinkedHashMap<>();
    Map<String, List<String>> replicas = new LinkedHashMap<>();
    double[] shares = new double[revisions.size()];
    for (int i = 0; i < shares.length; i++) {
      RevisionEntry r = revisions.get(i);
      byName.put(r.name(), r);
      replicas.put(r.name(), r.endpoints());
      shares[i] = r.share();
    }
    this.byName = Map.copyOf(byName);
    this.replicasByRevision = Map.copyOf(replicas);
    this.revisionPicker = shares.length == 0 ? null : WeightedPicker.of(shares);
  }

  public String name() {
    return name;
  }

  /** The model name the predictors serve; forwarded requests carry it. */
  public String modelName() {
    return modelName;
  }

  public int maxConcurrency() {
    return maxConcurrency;
  }

  public int maxQueueLength() {
    return maxQueueLength;
  }

  public Duration timeout() {
    return timeout;
  }

  public boolean scaledToZero() {
    return scaledToZero;
  }

  /**
   * How long results of the API's async requests are kept (spec.async.resultTtl); empty when the
   * operator sent none, and the router's default applies.
   */
  public Optional<Duration> asyncResultTtl() {
    return asyncResultTtl;
  }

  public List<RevisionEntry> revisions() {
    return revisions;
  }

  public RevisionEntry revision(String name) {
    return byName.get(name);
  }

  public Map<String, List<String>> replicasByRevision() {
    return replicasByRevision;
  }

  /**
   * @return a revision picked by traffic share, or null when the API has no revision yet
   */
  public RevisionEntry pickRevision(RandomGenerator random) {
    return revisionPicker == null ? null : revisions.get(revisionPicker.pick(random));
  }

  public boolean hasEndpoints() {
    for (RevisionEntry r : revisions) {
      if (!r.endpoints().isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
