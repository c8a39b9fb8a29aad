package io.serval.operator.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.EndpointsListener;
import io.serval.operator.runtime.LeaderState;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.kubernetes.config.KubernetesRuntimeConfig;
import io.serval.operator.runtime.kubernetes.crd.CustomResourceKinds;
import io.serval.operator.runtime.kubernetes.crd.ServalGroup;
import io.serval.operator.runtime.kubernetes.desired.PodSettings;
import io.serval.operator.runtime.kubernetes.desired.RevisionResources;
import io.serval.operator.runtime.kubernetes.endpoints.EndpointSliceReplicas;
import io.serval.operator.runtime.kubernetes.leader.Leadership;
import io.serval.operator.runtime.kubernetes.reconcile.RevisionReconciler;
import io.serval.operator.runtime.kubernetes.status.EventNote;
import io.serval.operator.runtime.kubernetes.status.EventRecorder;
import io.serval.operator.runtime.kubernetes.status.RolloutEvents;
import io.serval.operator.runtime.kubernetes.status.StatusWriter;
import io.serval.operator.runtime.kubernetes.sync.CustomResourceSync;
import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.spec.TrafficSplitter;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RolloutState;
import io.serval.operator.state.SplitterRecord;
import io.serval.operator.status.ApiStatus;
import io.serval.operator.status.ApiStatusBuilder;
import io.serval.operator.status.SplitterStatus;
import io.serval.operator.status.SplitterStatusBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The Kubernetes runtime's loop, apart from CDI: informers feed one thread that, on every change
 * and every reconcile interval, syncs custom resources into the registry and, on the leader only,
 * mirrors registry changes back, reconciles Deployments and Services, records rollout events and
 * writes status. Each pass compares whole states, so a restarted operator converges from whatever
 * it finds, adopting what exists rather than duplicating it.
 */
public final class KubernetesController implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(KubernetesController.class);

  private final KubernetesClient client;
  private final KubernetesRuntimeConfig config;
  private final ResourceRegistry registry;
  private final String namespace;
  private final String identity;
  private final EndpointsListener endpointsChanged;
  private final ApiStatusBuilder statusBuilder;
  private final SplitterStatusBuilder splitterStatusBuilder;
  private final CustomResourceSync sync;
  private final RevisionReconciler reconciler;
  private final StatusWriter statusWriter;
  private final EventRecorder recorder;
  private final Leadership leadership;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("serval-kubernetes").daemon().unstarted(r));
  private final AtomicBoolean passQueued = new AtomicBoolean();
  private final AtomicLong actingPasses = new AtomicLong();
  private final Map<String, Long> observed = new ConcurrentHashMap<>();
  private final Map<String, RolloutState> lastRollout = new HashMap<>();
  private final Map<String, String> lastFailure = new HashMap<>();
  private volatile ClusterView view;
  private volatile boolean acting;
  private volatile String leader;

  public KubernetesController(
      KubernetesClient client,
      KubernetesRuntimeConfig config,
      ResourceRegistry registry,
      Duration autoscalerTick,
      ApiStatusBuilder statusBuilder,
      SplitterStatusBuilder splitterStatusBuilder,
      EndpointsListener endpointsChanged,
      Clock clock) {
    this.client = client;
    this.config = config;
    this.registry = registry;
    this.namespace =
        config.namespace().or(() -> Optional.ofNullable(client.getNamespace())).orElse("default");
    this.identity =
        config
            .leaderElection()
            .identity()
            .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
            .orElseGet(() -> "serval-operator-" + UUID.randomUUID());
    this.endpointsChanged = endpointsChanged;
    this.statusBuilder = statusBuilder;
    this.splitterStatusBuilder = splitterStatusBuilder;
    this.recorder = new EventRecorder(client, namespace, identity, clock);
    this.sync = new CustomResourceSync(client, namespace, registry, autoscalerTick, this::event);
    this.reconciler =
        new RevisionReconciler(
            client, namespace, new RevisionResources(PodSettings.from(config)), this::event);
    this.statusWriter = new StatusWriter(client, namespace);
    this.leadership =
        new Leadership(
            client,
            namespace,
            config.leaderElection(),
            identity,
            () -> {
              acting = true;
              poke();
            },
            () -> acting = false,
            l -> leader = l);
  }

  /** Starts the informers, the loop and the leader election, without waiting for the cluster. */
  public void start() {
    LOG.infof("kubernetes runtime in namespace %s as %s", namespace, identity);
    // Here, not as a task on the loop: an API deployed through the management API between start()
    // and that task would have been taken for one kept from an earlier run, and deleted by the
    // first pass as "left the cluster" (KubernetesRuntimeTest caught it on a loaded machine). The
    // loop's tasks see these writes: submitting to the executor orders them after.
    sync.rememberStartupState();
    view = new ClusterView(client, namespace, config.resync(), this::poke, this::onEndpoints);
    long every = config.reconcileInterval().toMillis();
    loop.scheduleWithFixedDelay(this::poke, every, every, TimeUnit.MILLISECONDS);
    poke();
    leadership.start();
  }

  /** Whether this replica acts (holds the lease), and who does. */
  public LeaderState leaderState() {
    boolean leads = acting;
    return new LeaderState(leads, identity, Optional.ofNullable(leads ? identity : leader));
  }

  /** Runs a pass soon; pokes while one is queued coalesce into it. */
  public void poke() {
    if (passQueued.compareAndSet(false, true)) {
      try {
        loop.execute(this::passSafely);
      } catch (RejectedExecutionException e) {
        passQueued.set(false); // shutting down
      }
    }
  }

  /** Passes completed as the acting replica (for tests and metrics). */
  public long actingPasses() {
    return actingPasses.get();
  }

  public boolean acting() {
    return acting;
  }

  public String namespace() {
    return namespace;
  }

  public List<ReplicaInfo> replicas(String api) {
    ClusterView v = view;
    return v == null ? List.of() : EndpointSliceReplicas.of(api, v.endpointSlices());
  }

  /** The last lines of each of the API's pods (from the API server), oldest pod first. */
  public List<String> logs(String api, int maxLines) {
    List<String> out = new ArrayList<>();
    try {
      for (var pod :
          client
              .pods()
              .inNamespace(namespace)
              .withLabel(ServalGroup.API_LABEL, api)
              .list()
              .getItems()) {
        String name = pod.getMetadata().getName();
        String log =
            client.pods().inNamespace(namespace).withName(name).tailingLines(maxLines).getLog();
        if (log != null && !log.isEmpty()) {
          log.lines().forEach(l -> out.add(name + " | " + l));
        }
      }
    } catch (KubernetesClientException e) {
      return List.of("(cannot read the logs of " + api + ": " + e.getMessage() + ")");
    }
    return out.size() > maxLines ? out.subList(out.size() - maxLines, out.size()) : out;
  }

  public long observedGeneration(String api) {
    return observed.getOrDefault(api, 0L);
  }

  @Override
  public void close() {
    leadership.close();
    loop.shutdownNow();
    ClusterView v = view;
    if (v != null) {
      v.close();
    }
  }

  private void onEndpoints(String api) {
    endpointsChanged.endpointsChanged(api);
  }

  private void passSafely() {
    passQueued.set(false);
    try {
      pass();
    } catch (RuntimeException e) {
      LOG.error("kubernetes reconcile pass failed; retrying at the next change or interval", e);
    }
  }

  private void pass() {
    ClusterView v = view;
    if (v == null || !v.synced()) {
      // Acting on half-listed caches would delete what is not listed yet; the informers' first
      // events poke again.
      return;
    }
    Map<String, GenericKubernetesResource> apiCrs = v.apis();
    Map<String, GenericKubernetesResource> splitterCrs = v.splitters();
    sync.applyFromCluster(apiCrs, splitterCrs);
    if (!acting) {
      return;
    }
    try {
      sync.mirrorToCluster(apiCrs, splitterCrs);
    } catch (KubernetesClientException e) {
      LOG.warnf("cannot write registry changes back to custom resources: %s", e.getMessage());
    }
    List<ApiRecord> apis = registry.apis();
    Map<String, ApiStatus> statuses = new HashMap<>();
    for (ApiRecord a : apis) {
      GenericKubernetesResource cr = apiCrs.get(a.name());
      if (cr != null) {
        // Built only once the resource exists (just created by the mirror if deployed through
        // the management API), so that everything built has its owner.
        reconcile(a, cr, v);
      }
      rolloutEvent(a, cr);
      ApiStatus status = status(a);
      statuses.put(a.name(), status);
      if (cr != null) {
        writeStatus(CustomResourceKinds.REALTIME_API, cr, status);
      }
    }
    Set<String> names = apis.stream().map(ApiRecord::name).collect(Collectors.toSet());
    try {
      reconciler.removeOrphans(names, v.deployments(), v.services());
    } catch (KubernetesClientException e) {
      LOG.warnf("cannot remove resources of deleted APIs: %s", e.getMessage());
    }
    observed.keySet().retainAll(names);
    lastRollout.keySet().retainAll(names);
    for (SplitterRecord s : registry.splitters()) {
      GenericKubernetesResource cr = splitterCrs.get(s.name());
      if (cr != null) {
        SplitterStatus status =
            splitterStatusBuilder.build(
                s,
                api -> Optional.ofNullable(statuses.get(api)).map(ApiStatus::ready),
                sync.appliedGeneration(TrafficSplitter.KIND, s.name()));
        writeStatus(CustomResourceKinds.TRAFFIC_SPLITTER, cr, status);
      }
    }
    actingPasses.incrementAndGet();
  }

  private void reconcile(ApiRecord a, GenericKubernetesResource cr, ClusterView v) {
    try {
      reconciler.reconcile(a, cr, v.deployments(), v.services());
      observed.put(a.name(), a.generation());
      lastFailure.remove(a.name());
    } catch (KubernetesClientException | IllegalStateException e) {
      String message = "cannot reconcile: " + e.getMessage();
      LOG.warnf("%s: %s", a.name(), message);
      if (cr != null && !message.equals(lastFailure.put(a.name(), message))) {
        event(cr, EventNote.warning("ReconcileFailed", message));
      }
    }
  }

  private void rolloutEvent(ApiRecord a, GenericKubernetesResource cr) {
    boolean seen = lastRollout.containsKey(a.name());
    RolloutState before = lastRollout.put(a.name(), a.rollout());
    if (seen && cr != null) {
      RolloutEvents.between(before, a.rollout()).ifPresent(note -> event(cr, note));
    }
  }

  private ApiStatus status(ApiRecord a) {
    // On Kubernetes observedGeneration (the status's and each condition's) speaks of the custom
    // resource's metadata.generation.
    return statusBuilder
        .build(a, replicas(a.name()), observedGeneration(a.name()))
        .observing(sync.appliedGeneration(RealtimeApi.KIND, a.name()));
  }

  private void writeStatus(
      ResourceDefinitionContext kind, GenericKubernetesResource cr, Object status) {
    try {
      statusWriter.write(kind, cr, status);
    } catch (KubernetesClientException e) {
      LOG.warnf("%s: cannot write status: %s", cr.getMetadata().getName(), e.getMessage());
    }
  }

  private void event(GenericKubernetesResource about, EventNote note) {
    if (acting) {
      recorder.record(about, note);
    }
  }
}
