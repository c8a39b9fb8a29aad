package io.serval.operator.runtime.kubernetes.reconcile;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.serval.operator.runtime.kubernetes.crd.CustomResourceKinds;
import io.serval.operator.runtime.kubernetes.crd.ServalGroup;
import io.serval.operator.runtime.kubernetes.desired.RevisionRef;
import io.serval.operator.runtime.kubernetes.desired.RevisionResources;
import io.serval.operator.runtime.kubernetes.status.EventNote;
import io.serval.operator.state.ApiRecord;
import io.serval.operator.state.RevisionRecord;
import java.net.HttpURLConnection;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Makes the cluster run what the registry asks: a Deployment and a Service for every active
 * revision of every API (the revisions with traffic and the target of a running rollout), each
 * scaled to the API's desired replicas through the Deployment's scale subresource, and nothing else
 * (inactive revisions and deleted APIs are removed; their pods drain in preStop). Compares with the
 * informers' caches and writes only differences.
 */
public final class RevisionReconciler {

  private static final Logger LOG = Logger.getLogger(RevisionReconciler.class);

  private final KubernetesClient client;
  private final String namespace;
  private final RevisionResources resources;
  private final BiConsumer<GenericKubernetesResource, EventNote> events;

  public RevisionReconciler(
      KubernetesClient client,
      String namespace,
      RevisionResources resources,
      BiConsumer<GenericKubernetesResource, EventNote> events) {
    this.client = client;
    this.namespace = namespace;
    this.resources = resources;
    this.events = events;
  }

  /**
   * @param owner the API's custom resource, owner of what is built for it
   */
  public void reconcile(
      ApiRecord api,
      GenericKubernetesResource owner,
      Collection<Deployment> deployments,
      Collection<Service> services) {
    Map<String, Deployment> deploymentsByName = byName(deployments, api.name());
    Map<String, Service> servicesByName = byName(services, api.name());
    OwnerReference ownerRef = CustomResourceKinds.owner(owner);
    Set<String> wanted =
        api.activeRevisions().stream()
            .map(rev -> new RevisionRef(api.name(), rev).name())
            .collect(Collectors.toSet());
    for (String rev : api.activeRevisions()) {
      RevisionRef ref = new RevisionRef(api.name(), rev);
      RevisionRecord record =
          api.revision(rev)
              .orElseThrow(
                  () -> new IllegalStateException(api.name() + ": revision " + rev + " not kept"));
      ensureDeployment(
          ref, record, api.desiredReplicas(), ownerRef, deploymentsByName.get(ref.name()), owner);
      if (!servicesByName.containsKey(ref.name())) {
        createIfAbsent(
            () ->
                client
                    .services()
                    .inNamespace(namespace)
                    .resource(resources.service(ref, ownerRef))
                    .create());
      }
    }
    deploymentsByName.keySet().stream()
        .filter(n -> !wanted.contains(n))
        .forEach(
            n -> {
              LOG.infof("%s: revision %s has no traffic left, removing it", api.name(), n);
              client.apps().deployments().inNamespace(namespace).withName(n).delete();
            });
    servicesByName.keySet().stream()
        .filter(n -> !wanted.contains(n))
        .forEach(n -> client.services().inNamespace(namespace).withName(n).delete());
  }

  /**
   * Removes what was built for APIs the registry no longer has. The custom resource's deletion does
   * this too (owner references); this also covers an API deleted through the management API.
   */
  public void removeOrphans(
      Set<String> apis, Collection<Deployment> deployments, Collection<Service> services) {
    for (Deployment d : deployments) {
      String api = apiOf(d);
      if (api != null && !apis.contains(api)) {
        LOG.infof("%s: API deleted, removing Deployment %s", api, d.getMetadata().getName());
        client.apps().deployments().inNamespace(namespace).resource(d).delete();
      }
    }
    for (Service s : services) {
      String api = apiOf(s);
      if (api != null && !apis.contains(api)) {
        client.services().inNamespace(namespace).resource(s).delete();
      }
    }
  }

  private void ensureDeployment(
      RevisionRef ref,
      RevisionRecord record,
      int replicas,
      OwnerReference ownerRef,
      Deployment current,
      GenericKubernetesResource owner) {
    if (current == null) {
      boolean created =
          createIfAbsent(
              () ->
                  client
                      .apps()
                      .deployments()
                      .inNamespace(namespace)
                      .resource(resources.deployment(ref, record, replicas, ownerRef))
                      .create());
      if (!created) {
        return;
      }
      events.accept(
          owner,
          EventNote.normal(
              "RevisionCreated",
              "Deployment " + ref.name() + " created with " + replicas + " replicas"));
      return;
    }
    String hash = resources.templateHash(ref, record);
    Map<String, String> annotations = current.getMetadata().getAnnotations();
    String currentHash =
        annotations == null ? null : annotations.get(RevisionResources.TEMPLATE_HASH_ANNOTATION);
    if (!hash.equals(currentHash)) {
      // The pod template changed under the same revision (new operator settings): replace it,
      // keeping the replicas the scale subresource set.
      Integer currentReplicas = current.getSpec().getReplicas();
      Deployment desired =
          resources.deployment(
              ref, record, currentReplicas == null ? replicas : currentReplicas, ownerRef);
      desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
      LOG.infof("%s: pod template changed, updating", ref.name());
      client.apps().deployments().inNamespace(namespace).resource(desired).update();
    }
    if (!Objects.equals(current.getSpec().getReplicas(), replicas)) {
      LOG.infof(
          "%s: scaling from %s to %d replicas",
          ref.name(), current.getSpec().getReplicas(), replicas);
      client.apps().deployments().inNamespace(namespace).withName(ref.name()).scale(replicas);
    }
  }

  /**
   * False when it exists already: the informer's cache had not yet shown our own earlier create.
   */
  private static boolean createIfAbsent(Runnable create) {
    try {
      create.run();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  private static <T extends HasMetadata> Map<String, T> byName(Collection<T> items, String api) {
    return items.stream()
        .filter(i -> api.equals(apiOf(i)))
        .collect(Collectors.toMap(i -> i.getMetadata().getName(), i -> i, (a, b) -> a));
  }

  private static String apiOf(HasMetadata o) {
    Map<String, String> labels = o.getMetadata().getLabels();
    return labels == null ? null : labels.get(ServalGroup.API_LABEL);
  }
}
