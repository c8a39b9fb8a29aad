package io.serval.router.routing;

import io.serval.proto.control.ApiRoute;
import io.serval.proto.control.Endpoint;
import io.serval.proto.control.RevisionRoute;
import io.serval.proto.control.RouteSnapshot;
import io.serval.proto.control.SplitTarget;
import io.serval.proto.control.SplitterRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The routes of one {@link RouteSnapshot}, validated and indexed. Immutable: a new snapshot builds
 * a new table that is swapped in atomically, and requests already resolved keep the entries they
 * got.
 */
public final class RouteTable {
  /** Cortex's defaults for limits a snapshot leaves unset (0). */
  public static final int DEFAULT_MAX_CONCURRENCY = 1;

  public static final int DEFAULT_MAX_QUEUE_LENGTH = 100;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Where a request for a name goes: one API, plus the shadows to mirror it to. */
  public record Target(ApiEntry api, List<ApiEntry> mirrors) {}

  public static final RouteTable EMPTY = new RouteTable(0, Map.of(), Map.of());

  private final long version;
  private final Map<String, ApiEntry> apis;
  private final Map<String, SplitterEntry> splitters;

  private RouteTable(
      long version, Map<String, ApiEntry> apis, Map<String, SplitterEntry> splitters) {
    this.version = version;
    this.apis = apis;
    this.splitters = splitters;
  }

  /**
   * @throws IllegalArgumentException naming the API, splitter or field at fault
   */
  public static RouteTable from(RouteSnapshot snapshot) {
    Map<String, ApiEntry> apis = new HashMap<>();
    for (ApiRoute a : snapshot.getApisList()) {
      ApiEntry entry = api(a);
      if (apis.put(entry.name(), entry) != null) {
        throw new IllegalArgumentException("API '" + a.getName() + "' appears more than once");
      }
    }
    Map<String, SplitterEntry> splitters = new HashMap<>();
    for (SplitterRoute s : snapshot.getSplittersList()) {
      if (s.getName().isEmpty()) {
        throw new IllegalArgumentException("a splitter has an empty name");
      }
      if (apis.containsKey(s.getName())) {
        throw new IllegalArgumentException(
            "splitter '" + s.getName() + "' has the name of an API; names must be unique");
      }
      if (splitters.put(s.getName(), splitter(s, apis)) != null) {
        throw new IllegalArgumentException("splitter '" + s.getName() + "' appears more than once");
      }
    }
    return new RouteTable(snapshot.getVersion(), Map.copyOf(apis), Map.copyOf(splitters));
  }

  private static ApiEntry api(ApiRoute a) {
    String where = "API '" + a.getName() + "'";
    if (a.getName().isEmpty()) {
      throw new IllegalArgumentException("an API has an empty name");
    }
    var limits = a.getLimits();
    if (limits.getMaxConcurrency() < 0 || limits.getMaxQueueLength() < 0) {
      throw new IllegalArgumentException(
          where + ": limits.max_concurrency and limits.max_queue_length must be >= 0");
    }
    Duration timeout =
        limits.hasTimeout()
            ? Duration.ofSeconds(limits.getTimeout().getSeconds(), limits.getTimeout().getNanos())
            : DEFAULT_TIMEOUT;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(where + ": limits.timeout must be > 0, got " + timeout);
    }
    Optional<Duration> resultTtl = Optional.empty();
    if (a.hasAsyncResultTtl()) {
      Duration ttl =
          Duration.ofSeconds(a.getAsyncResultTtl().getSeconds(), a.getAsyncResultTtl().getNanos());
      if (!ttl.isPositive()) {
        throw new IllegalArgumentException(where + ": async_result_ttl must be > 0, got " + ttl);
      }
      resultTtl = Optional.of(ttl);
    }
    List<RevisionEntry> revisions = new ArrayList<>();
    double shareSum = 0;
    for (RevisionRoute r : a.getRevisionsList()) {
      if (r.getRevision().isEmpty()) {
        throw new IllegalArgumentException(where + ": a revision has an empty name");
      }
      if (!(r.getTrafficPercent() >= 0 && r.getTrafficPercent() <= 100)) {
        throw new IllegalArgumentException(
            where
                + " revision '"
                + r.getRevision()
                + "': traffic_percent must be in [0, 100], got "
                + r.getTrafficPercent());
      }
      shareSum += r.getTrafficPercent();
      List<String> endpoints = new ArrayList<>(r.getEndpointsCount());
      for (Endpoint e : r.getEndpointsList()) {
        if (e.getAddress().isEmpty()) {
          throw new IllegalArgumentException(
              where + " revision '" + r.getRevision() + "': an endpoint has an empty address");
        }
        endpoints.add(e.getAddress());
      }
      revisions.add(
          new RevisionEntry(
              r.getRevision(),
              r.getTrafficPercent(),
              List.copyOf(endpoints),
              a.getName() + "/" + r.getRevision()));
    }
    if (revisions.size() == 1 && shareSum == 0) {
      // A lone revision takes all traffic whatever its share says.
      RevisionEntry only = revisions.get(0);
      revisions.set(0, new RevisionEntry(only.name(), 100, only.endpoints(), only.servedBy()));
    } else if (!revisions.isEmpty() && Math.abs(shareSum - 100) > 0.01) {
      throw new IllegalArgumentException(
          where + ": revision traffic_percent values sum to " + shareSum + ", not 100");
    }
    return new ApiEntry(
        a.getName(),
        a.getModelName().isEmpty() ? a.getName() : a.getModelName(),
        limits.getMaxConcurrency() == 0 ? DEFAULT_MAX_CONCURRENCY : limits.getMaxConcurrency(),
        limits.getMaxQueueLength() == 0 ? DEFAULT_MAX_QUEUE_LENGTH : limits.getMaxQueueLength(),
        timeout,
        a.getScaledToZero(),
        resultTtl,
        revisions);
  }

  private static SplitterEntry splitter(SplitterRoute s, Map<String, ApiEntry> apis) {
    String where = "splitter '" + s.getName() + "'";
    List<ApiEntry> primaries = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    List<SplitterEntry.Shadow> shadows = new ArrayList<>();
    for (SplitTarget t : s.getTargetsList()) {
      ApiEntry api = apis.get(t.getApi());
      if (api == null) {
        throw new IllegalArgumentException(where + " targets unknown API '" + t.getApi() + "'");
      }
      if (!(t.getWeight() >= 0 && t.getWeight() <= 100)) {
        throw new IllegalArgumentException(
            where + " target '" + t.getApi() + "': weight must be in [0, 100]");
      }
      if (t.getShadow()) {
        shadows.add(new SplitterEntry.Shadow(api, t.getWeight()));
      } else {
        primaries.add(api);
        weights.add(t.getWeight());
      }
    }
    if (weights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw new IllegalArgumentException(where + " needs a non-shadow target with weight > 0");
    }
    return new SplitterEntry(
        s.getName(),
        primaries,
        weights.stream().mapToDouble(Double::doubleValue).toArray(),
        shadows);
  }

  public long version() {
    return version;
  }

  public ApiEntry api(String name) {
    return apis.get(name);
  }

  public Collection<ApiEntry> apis() {
    return apis.values();
  }

  public boolean knows(String name) {
    return apis.containsKey(name) || splitters.containsKey(name);
  }

  /**
   * @return where a request for {@code name} goes, or null when no API or splitter has that name
   */
  public Target resolve(String name, RandomGenerator random) {
    ApiEntry api = apis.get(name);
    if (api != null) {
      return new Target(api, List.of());
    }
    SplitterEntry s = splitters.get(name);
    if (s == null) {
      return null;
    }
    List<ApiEntry> mirrors = List.of();
    for (SplitterEntry.Shadow shadow : s.shadows()) {
      if (WeightedPicker.mirror(shadow.percent(), random)) {
        if (mirrors.isEmpty()) {
          mirrors = new ArrayList<>(2);
        }
        mirrors.add(shadow.api());
      }
    }
    return new Target(s.pickPrimary(random), mirrors);
  }
}
