package io.serval.operator.runtime.kubernetes.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.serval.operator.control.ResourceConflictException;
import io.serval.operator.control.ResourceNotFoundException;
import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.kubernetes.crd.CustomResourceKinds;
import io.serval.operator.runtime.kubernetes.status.EventNote;
import io.serval.operator.spec.RealtimeApi;
import io.serval.operator.spec.Resource;
import io.serval.operator.spec.SpecException;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.spec.TrafficSplitter;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Keeps the registry and the custom resources in step. The custom resources are the truth: each new
 * generation is deployed into the registry (parsed, defaulted and validated like a management API
 * deploy), and a resource that vanished is deleted from it. The other way (leader only), what the
 * management API or a rollback changed in the registry is written back to the resources, so that
 * kubectl and the CLI see one spec. Level-based: every pass compares whole states, so a missed
 * event or a restart only delays convergence. Not thread-safe: the controller's loop calls it.
 */
public final class CustomResourceSync {

  private static final Logger LOG = Logger.getLogger(CustomResourceSync.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final String namespace;
  private final ResourceRegistry registry;
  private final SpecParser parser;
  private final BiConsumer<GenericKubernetesResource, EventNote> events;

  /** Custom resources (kind/name) seen in the cluster, so that a vanished one is noticed. */
  private final Set<String> known = new HashSet<>();

  /** The generation of each custom resource the registry holds. */
  private final Map<String, Long> applied = new HashMap<>();

  /** Last refusal reported per custom resource, so that a bad spec gives one event, not many. */
  private final Map<String, String> reported = new HashMap<>();

  /** The registry's specs at the last mirror pass: what changed since is written back. */
  private final Map<String, Object> mirrored = new HashMap<>();

  /** Created or deleted by the mirror, and not yet seen so by the informers' caches. */
  private final Set<String> pendingCreate = new HashSet<>();

  private final Set<String> pendingDelete = new HashSet<>();

  /** Deleted from the registry through the management API while their resource still exists. */
  private final Set<String> deletedHere = new HashSet<>();

  private boolean mirrorBaseline = true;

  public CustomResourceSync(
      KubernetesClient client,
      String namespace,
      ResourceRegistry registry,
      Duration autoscalerTick,
      BiConsumer<GenericKubernetesResource, EventNote> events) {
    this.client = client;
    this.namespace = namespace;
    this.registry = registry;
    this.parser = new SpecParser(autoscalerTick);
    this.events = events;
  }

  /**
   * Called once before the first pass: whatever the registry kept from an earlier run is known, so
   * that what the cluster no longer has goes. (Deploys made after this are the mirror's.)
   */
  public void rememberStartupState() {
    registry.apis().forEach(a -> known.add(key(RealtimeApi.KIND, a.name())));
    registry.splitters().forEach(s -> known.add(key(TrafficSplitter.KIND, s.name())));
  }

  /** The generation of the custom resource the registry holds (0: none yet). */
  public long appliedGeneration(String kind, String name) {
    return applied.getOrDefault(key(kind, name), 0L);
  }

  /** Deploys new generations into the registry and deletes what left the cluster. */
  public void applyFromCluster(
      Map<String, GenericKubernetesResource> apis,
      Map<String, GenericKubernetesResource> splitters) {
    pendingCreate.removeIf(k -> present(k, apis, splitters));
    pendingDelete.removeIf(k -> !present(k, apis, splitters));
    // APIs first: splitters may name them. Deletions the other way round, for the same reason.
    apis.values().forEach(this::deploy);
    splitters.values().forEach(this::deploy);
    removeVanished(TrafficSplitter.KIND, splitters.keySet());
    removeVanished(RealtimeApi.KIND, apis.keySet());
  }

  /** Writes registry changes that did not come from the custom resources back to them. */
  public void mirrorToCluster(
      Map<String, GenericKubernetesResource> apis,
      Map<String, GenericKubernetesResource> splitters) {
    Map<String, Resource> now = new LinkedHashMap<>();
    registry.apis().forEach(a -> now.put(key(RealtimeApi.KIND, a.name()), a.api()));
    registry.splitters().forEach(s -> now.put(key(TrafficSplitter.KIND, s.name()), s.splitter()));
    if (mirrorBaseline) {
      // What the registry holds now came from the resources (or was just refused by them): only
      // later changes are the registry's own.
      mirrorBaseline = false;
      now.forEach((k, r) -> mirrored.put(k, spec(r)));
    }
    for (Map.Entry<String, Resource> e : now.entrySet()) {
      Resource r = e.getValue();
      GenericKubernetesResource cr = (r instanceof RealtimeApi ? apis : splitters).get(r.name());
      Object spec = spec(r);
      boolean changedHere = !Objects.equals(mirrored.get(e.getKey()), spec);
      if (cr == null && !known.contains(e.getKey()) && !pendingCreate.contains(e.getKey())) {
        create(r);
        pendingCreate.add(e.getKey());
      } else if (cr != null && changedHere && !sameSpec(cr, r)) {
        replaceSpec(cr, r);
      }
    }
    for (String key : Set.copyOf(deletedHere)) {
      String kind = key.substring(0, key.indexOf('/'));
      GenericKubernetesResource cr =
          (kind.equals(RealtimeApi.KIND) ? apis : splitters).get(key.substring(kind.length() + 1));
      if (cr != null && !pendingDelete.contains(key)) {
        LOG.infof("%s: deleted through the management API, deleting its %s", key, kind);
        client
            .genericKubernetesResources(context(kind))
            .inNamespace(namespace)
            .resource(cr)
            .delete();
        pendingDelete.add(key);
      }
      deletedHere.remove(key);
    }
    mirrored.clear();
    now.forEach((k, r) -> mirrored.put(k, spec(r)));
  }

  private void deploy(GenericKubernetesResource cr) {
    String kind = cr.getKind();
    String name = cr.getMetadata().getName();
    String key = key(kind, name);
    if (pendingDelete.contains(key)) {
      return;
    }
    known.add(key);
    long generation = CustomResourceKinds.generation(cr);
    if (applied.getOrDefault(key, -1L) == generation) {
      if (!registryHas(kind, name)) {
        // The registry dropped what it had applied at this very generation: a management API
        // delete, newer than the resource. The mirror deletes the resource.
        deletedHere.add(key);
      }
      return;
    }
    try {
      registry.deploy(document(cr));
      applied.put(key, generation);
      reported.remove(key);
    } catch (SpecException | ResourceConflictException e) {
      String message = e.getMessage();
      if (!message.equals(reported.get(key))) {
        reported.put(key, message);
        LOG.warnf("%s %s generation %d refused: %s", kind, name, generation, message);
        events.accept(cr, EventNote.warning("InvalidSpec", message));
      }
    }
  }

  private void removeVanished(String kind, Set<String> present) {
    for (String key : Set.copyOf(known)) {
      String name = key.substring(key.indexOf('/') + 1);
      if (!key.startsWith(kind + "/") || present.contains(name) || pendingCreate.contains(key)) {
        continue;
      }
      try {
        if (kind.equals(RealtimeApi.KIND)) {
          registry.deleteApi(name);
        } else {
          registry.deleteSplitter(name);
        }
        LOG.infof("%s %s left the cluster: deleted", kind, name);
      } catch (ResourceNotFoundException e) {
        // Already gone (deleted through the management API).
      } catch (ResourceConflictException e) {
        // A splitter still names it: keep it until the splitter changes, then try again.
        LOG.warnf(
            "%s %s left the cluster but cannot be deleted yet: %s", kind, name, e.getMessage());
        continue;
      }
      known.remove(key);
      applied.remove(key);
      reported.remove(key);
    }
  }

  private static boolean present(
      String key,
      Map<String, GenericKubernetesResource> apis,
      Map<String, GenericKubernetesResource> splitters) {
    String name = key.substring(key.indexOf('/') + 1);
    return (key.startsWith(RealtimeApi.KIND + "/") ? apis : splitters).containsKey(name);
  }

  private boolean registryHas(String kind, String name) {
    return kind.equals(RealtimeApi.KIND)
        ? registry.api(name).isPresent()
        : registry.splitter(name).isPresent();
  }

  private boolean sameSpec(GenericKubernetesResource cr, Resource r) {
    try {
      List<Resource> parsed = parser.parse(document(cr));
      return parsed.size() == 1 && spec(parsed.getFirst()).equals(spec(r));
    } catch (SpecException e) {
      return false;
    }
  }

  private void create(Resource r) {
    LOG.infof("%s: deployed through the management API, creating its %s", r.name(), r.kind());
    try {
      client
          .genericKubernetesResources(context(r.kind()))
          .inNamespace(namespace)
          .resource(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion(r.apiVersion())
                  .withKind(r.kind())
                  .withNewMetadata()
                  .withName(r.name())
                  .withNamespace(namespace)
                  .endMetadata()
                  .withAdditionalProperties(Map.of("spec", specMap(r)))
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // Created meanwhile with kubectl: the resource wins, the next pass deploys it.
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  private void replaceSpec(GenericKubernetesResource cr, Resource r) {
    LOG.infof(
        "%s: spec changed by the operator (deploy or rollback), updating its %s",
        r.name(), r.kind());
    Map<String, Object> spec = specMap(r);
    client
        .genericKubernetesResources(context(r.kind()))
        .inNamespace(namespace)
        .withName(r.name())
        .edit(
            current -> {
              current.setAdditionalProperty("spec", spec);
              return current;
            });
  }

  private static String document(GenericKubernetesResource cr) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", cr.getApiVersion());
    doc.put("kind", cr.getKind());
    doc.put("metadata", Map.of("name", cr.getMetadata().getName()));
    doc.put("spec", Optional.ofNullable(cr.getAdditionalProperties().get("spec")).orElse(Map.of()));
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + cr.getMetadata().getName() + " as JSON", e);
    }
  }

  private static Object spec(Resource r) {
    return switch (r) {
      case RealtimeApi a -> a.spec();
      case TrafficSplitter s -> s.spec();
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> specMap(Resource r) {
    return JSON.convertValue(spec(r), Map.class);
  }

  private static ResourceDefinitionContext context(String kind) {
    return kind.equals(RealtimeApi.KIND)
        ? CustomResourceKinds.REALTIME_API
        : CustomResourceKinds.TRAFFIC_SPLITTER;
  }

  private static String key(String kind, String name) {
    return kind + "/" + name;
  }
}
