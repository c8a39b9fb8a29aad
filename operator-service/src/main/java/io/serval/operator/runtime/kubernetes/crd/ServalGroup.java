package io.serval.operator.runtime.kubernetes.crd;

/** The API group of Serval's custom resources, and the labels Serval puts on what it creates. */
public final class ServalGroup {

  public static final String GROUP = "serving.serval.io";
  public static final String VERSION = "v1alpha1";

  /** The API a Deployment, Service or pod belongs to. */
  public static final String API_LABEL = GROUP + "/api";

  /** The revision a Deployment, Service or pod runs. */
  public static final String REVISION_LABEL = GROUP + "/revision";

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "serval-operator";

  private ServalGroup() {}
}
