package io.serval.operator.runtime.kubernetes.desired;

import io.serval.operator.runtime.kubernetes.crd.ServalGroup;
import java.util.Map;

/**
 * One revision of one API on Kubernetes: its Deployment and Service share the name {api}-{revision}
 * (API names are at most 42 characters and revisions 10, so it fits a DNS label) and the labels.
 */
public record RevisionRef(String api, String revision) {

  public String name() {
    return api + "-" + revision;
  }

  /** What selects the revision's pods, and what its EndpointSlices carry. */
  public Map<String, String> selector() {
    return Map.of(ServalGroup.API_LABEL, api, ServalGroup.REVISION_LABEL, revision);
  }

  public Map<String, String> labels() {
    return Map.of(
        ServalGroup.API_LABEL,
        api,
        ServalGroup.REVISION_LABEL,
        revision,
        ServalGroup.MANAGED_BY_LABEL,
        ServalGroup.MANAGED_BY,
        "app.kubernetes.io/name",
        "serval-predictor",
        "app.kubernetes.io/instance",
        api);
  }
}
