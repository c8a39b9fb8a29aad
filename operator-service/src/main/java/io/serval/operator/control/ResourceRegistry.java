package io.serval.operator.control;

import io.quarkus.runtime.Startup;
import io.serval.operator.OperatorConfig;
import io.serval.operator.spec.Resource;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.SplitterRecord;
import io.serval.operator.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The deployed APIs and splitters: the one place that changes them, always durably (state store
 * first, memory second) and one change at a time. Its {@link ResourceChangeListener} hears of each
 * change after it is stored, outside the lock, so it may read the registry back.
 */
// Eager: load state and create the token at start, failing fast on a bad state directory.
@Startup
@ApplicationScoped
public class ResourceRegistry {

  private static final Logger LOG = Logger.getLogger(ResourceRegistry.class);

  private final StateStore store;
  private final SpecParser parser;
  private final DeployPlanner planner;
  private final ResourceChangeListener changed;
  private final Clock clock;
  private final Map<String, ApiRecord> apis;
  private final Map<String, SplitterRecord> splitters;
  private final DeployLimits limits;

  @Inject
  public ResourceRegistry(
      StateStore store,
      OperatorConfig config,
      DeployLimits limits,
      ResourceChangeListener changed,
      Clock clock) {
    this.store = store;
    this.limits = limits;
    this.parser = new SpecParser(config.autoscalerTick(), limits.replicaCap());
    this.planner = new DeployPlanner(config.runtime().runsReplicas());
    this.changed = changed;
    this.clock = clock;
    this.apis = new TreeMap<>(store.loadApis());
    this.splitters = new TreeMap<>(store.loadSplitters());
    LOG.infof("state %s: %d APIs, %d splitters", store.dir(), apis.size(), splitters.size());
  }

  /** Parses, validates and applies every resource in the text, or none of them. */
  public List<PlannedChange> deploy(String text) {
    List<Resource> resources = parser.parse(text);
    List<PlannedChange> plan;
    Set<String> changedApis = new HashSet<>();
    synchronized (this) {
      plan = checkedPlan(resources);
      for (PlannedChange c : plan) {
        if (c.action() == PlannedChange.Action.unchanged) {
          continue;
        }
        if (c.api() != null) {
          store.save(c.api());
          apis.put(c.name(), c.api());
          changedApis.add(c.name());
        } else {
          store.save(c.splitter());
          splitters.put(c.name(), c.splitter());
        }
      }
    }
    plan.forEach(c -> LOG.info(c.message()));
    if (plan.stream().anyMatch(c -> c.action() != PlannedChange.Action.unchanged)) {
      changed.resourcesChanged(new ResourcesChanged(changedApis, Set.of()));
    }
    return plan;
  }

  /**
   * What {@link #deploy} of the text would do, with the same parsing, validation, planning and
   * limits, but nothing stored and no listener told (a dry run).
   */
  public DryRun plan(String text) {
    List<Resource> resources = parser.parse(text);
    synchronized (this) {
      List<PlannedChange> plan = checkedPlan(resources);
      Map<String, ApiRecord> apisBefore = new TreeMap<>();
      Map<String, SplitterRecord> splittersBefore = new TreeMap<>();
      for (PlannedChange c : plan) {
        if (c.api() != null && apis.containsKey(c.name())) {
          apisBefore.put(c.name(), apis.get(c.name()));
        } else if (c.splitter() != null && splitters.containsKey(c.name())) {
          splittersBefore.put(c.name(), splitters.get(c.name()));
        }
      }
      return new DryRun(plan, apisBefore, splittersBefore);
    }
  }

  /** The plan of a deploy against the current state, refused when it breaks a limit. */
  private List<PlannedChange> checkedPlan(List<Resource> resources) {
    List<PlannedChange> plan = planner.plan(resources, apis, splitters, clock.instant());
    if (limits.replicaCap().isPresent()) {
      ReplicaBudget.check(limits.replicaCap().get(), apis, plan);
    }
    limits.check(plan);
    return plan;
  }

  public synchronized List<ApiRecord> apis() {
    return List.copyOf(apis.values());
  }

  public synchronized List<SplitterRecord> splitters() {
    return List.copyOf(splitters.values());
  }

  public synchronized Optional<ApiRecord> api(String name) {
    return Optional.ofNullable(apis.get(name));
  }

  public synchronized Optional<SplitterRecord> splitter(String name) {
    return Optional.ofNullable(splitters.get(name));
  }

  public ApiRecord deleteApi(String name) {
    ApiRecord removed;
    synchronized (this) {
      removed = requireApi(name);
      planner.checkDeletable(name, splitters);
      store.deleteApi(name);
      apis.remove(name);
    }
    LOG.infof("%s: deleted", name);
    changed.resourcesChanged(new ResourcesChanged(Set.of(), Set.of(name)));
    return removed;
  }

  public SplitterRecord deleteSplitter(String name) {
    SplitterRecord removed;
    synchronized (this) {
      removed = requireSplitter(name);
      store.deleteSplitter(name);
      splitters.remove(name);
    }
    LOG.infof("%s: deleted", name);
    changed.resourcesChanged(new ResourcesChanged(Set.of(), Set.of()));
    return removed;
  }

  public ApiRecord rollbackApi(String name) {
    ApiRecord next = update(name, current -> planner.rollback(current, clock.instant()));
    LOG.infof("%s: rolling back to revision %s", name, next.revision());
    return next;
  }

  public SplitterRecord rollbackSplitter(String name) {
    SplitterRecord next;
    synchronized (this) {
      next = planner.rollback(requireSplitter(name), apis.keySet(), clock.instant());
      store.save(next);
      splitters.put(name, next);
    }
    changed.resourcesChanged(new ResourcesChanged(Set.of(), Set.of()));
    return next;
  }

  /** Clamped to the API's [minReplicas, maxReplicas]; the same value twice changes nothing. */
  public ReplicaCounts setDesiredReplicas(String name, int replicas, String reason) {
    int applied;
    boolean didChange;
    synchronized (this) {
      ApiRecord current = requireApi(name);
      applied = current.api().spec().autoscaling().clamp(replicas);
      didChange = applied != current.desiredReplicas();
      if (didChange) {
        ApiRecord next = current.withDesiredReplicas(applied, reason, clock.instant());
        store.save(next);
        apis.put(name, next);
      }
    }
    if (didChange) {
      LOG.infof("%s: desired replicas %d (asked %d: %s)", name, applied, replicas, reason);
      changed.resourcesChanged(new ResourcesChanged(Set.of(name), Set.of()));
    }
    return new ReplicaCounts(replicas, applied, didChange);
  }

  /** A request arrived for an API at zero replicas: ask for one (within its bounds). */
  public ReplicaCounts wakeUp(String name, String routerId) {
    ApiRecord current = api(name).orElseThrow(() -> notFound("API", name));
    if (current.desiredReplicas() > 0) {
      return new ReplicaCounts(current.desiredReplicas(), current.desiredReplicas(), false);
    }
    return setDesiredReplicas(
        name,
        Math.max(1, current.api().spec().autoscaling().minReplicas()),
        "wake-up from " + routerId);
  }

  /**
   * Applies a change to one API's record (rollouts, rollbacks); unchanged records are not stored.
   */
  public ApiRecord update(String name, UnaryOperator<ApiRecord> change) {
    ApiRecord next;
    boolean didChange;
    synchronized (this) {
      ApiRecord current = requireApi(name);
      next = change.apply(current);
      didChange = !next.equals(current);
      if (didChange) {
        store.save(next);
        apis.put(name, next);
      }
    }
    if (didChange) {
      changed.resourcesChanged(new ResourcesChanged(Set.of(name), Set.of()));
    }
    return next;
  }

  public DeployPlanner planner() {
    return planner;
  }

  private ApiRecord requireApi(String name) {
    ApiRecord r = apis.get(name);
    if (r == null) {
      throw notFound("API", name);
    }
    return r;
  }

  private SplitterRecord requireSplitter(String name) {
    SplitterRecord r = splitters.get(name);
    if (r == null) {
      throw notFound("traffic splitter", name);
    }
    return r;
  }

  private static ResourceNotFoundException notFound(String what, String name) {
    return new ResourceNotFoundException("no " + what + " named \"" + name + "\"");
  }
}
