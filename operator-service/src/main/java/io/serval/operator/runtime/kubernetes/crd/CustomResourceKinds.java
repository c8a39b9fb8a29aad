package io.serval.operator.runtime.kubernetes.crd;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Serval's custom resources as the operator reads them: untyped, so that a partial spec reaches the
 * spec parser as written (defaults and validation are the parser's job, as for the management API).
 */
public final class CustomResourceKinds {

  public static final ResourceDefinitionContext REALTIME_API =
      context("RealtimeApi", "realtimeapis");
  public static final ResourceDefinitionContext TRAFFIC_SPLITTER =
      context("TrafficSplitter", "trafficsplitters");

  private CustomResourceKinds() {}

  /** The custom resource owns what is built for it, so that deleting it deletes them. */
  public static OwnerReference owner(GenericKubernetesResource cr) {
    return new OwnerReferenceBuilder()
        .withApiVersion(cr.getApiVersion())
        .withKind(cr.getKind())
        .withName(cr.getMetadata().getName())
        .withUid(cr.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  public static long generation(GenericKubernetesResource cr) {
    Long g = cr.getMetadata().getGeneration();
    return g == null ? 0L : g;
  }

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(ServalGroup.GROUP)
        .withVersion(ServalGroup.VERSION)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
