package io.serval.operator.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.serval.operator.runtime.kubernetes.crd.CustomResourceKinds;
import io.serval.operator.runtime.kubernetes.crd.ServalGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the operator sees of its namespace, through informers (watch plus periodic re-list): the
 * custom resources, the Deployments and Services it made, and their EndpointSlices. Reads come from
 * the informers' caches, never from the API server.
 */
final class ClusterView implements AutoCloseable {

  private final SharedIndexInformer<GenericKubernetesResource> apis;
  private final SharedIndexInformer<GenericKubernetesResource> splitters;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final List<SharedIndexInformer<?>> all = new ArrayList<>();

  /**
   * Starts every informer (watch plus a re-list every resync) without waiting for them to list.
   *
   * @param changed told of every add, update and delete (and resync)
   * @param endpointsChanged told the API whose EndpointSlices changed
   */
  ClusterView(
      KubernetesClient client,
      String namespace,
      Duration resync,
      Runnable changed,
      Consumer<String> endpointsChanged) {
    long resyncMillis = resync.toMillis();
    apis =
        keep(
            client
                .genericKubernetesResources(CustomResourceKinds.REALTIME_API)
                .inNamespace(namespace)
                .runnableInformer(resyncMillis));
    splitters =
        keep(
            client
                .genericKubernetesResources(CustomResourceKinds.TRAFFIC_SPLITTER)
                .inNamespace(namespace)
                .runnableInformer(resyncMillis));
    deployments =
        keep(
            client
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withLabel(ServalGroup.MANAGED_BY_LABEL, ServalGroup.MANAGED_BY)
                .runnableInformer(resyncMillis));
    services =
        keep(
            client
                .services()
                .inNamespace(namespace)
                .withLabel(ServalGroup.MANAGED_BY_LABEL, ServalGroup.MANAGED_BY)
                .runnableInformer(resyncMillis));
    slices =
        keep(
            client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(namespace)
                .withLabel(ServalGroup.API_LABEL)
                .runnableInformer(resyncMillis));
    slices.addEventHandler(
        handler(
            s -> {
              String api = s.getMetadata().getLabels().get(ServalGroup.API_LABEL);
              if (api != null) {
                endpointsChanged.accept(api);
              }
              changed.run();
            }));
    addHandler(apis, changed);
    addHandler(splitters, changed);
    addHandler(deployments, changed);
    addHandler(services, changed);
    // Non-blocking: the controller acts only once every cache has listed (synced()), and is
    // poked when that happens.
    CompletableFuture.allOf(
            all.stream()
                .map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .thenRun(changed);
  }

  /** Whether every informer has listed its resources at least once. */
  boolean synced() {
    return all.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  private static <T extends HasMetadata> void addHandler(
      SharedIndexInformer<T> informer, Runnable changed) {
    informer.addEventHandler(handler(o -> changed.run()));
  }

  Map<String, GenericKubernetesResource> apis() {
    return byName(apis);
  }

  Map<String, GenericKubernetesResource> splitters() {
    return byName(splitters);
  }

  List<Deployment> deployments() {
    return deployments.getStore().list();
  }

  List<Service> services() {
    return services.getStore().list();
  }

  List<EndpointSlice> endpointSlices() {
    return slices.getStore().list();
  }

  @Override
  public void close() {
    all.forEach(SharedIndexInformer::close);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> keep(SharedIndexInformer<T> informer) {
    all.add(informer);
    return informer;
  }

  private static <T extends HasMetadata> Map<String, T> byName(SharedIndexInformer<T> informer) {
    return informer.getStore().list().stream()
        .filter(Objects::nonNull)
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r, (a, b) -> a));
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.accept(obj);
      }
    };
  }
}
