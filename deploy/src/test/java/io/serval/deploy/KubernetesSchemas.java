package io.serval.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' API schemas as a cluster applies them with strict field validation (kubectl's default
 * since 1.27): each object parsed into fabric8's typed model of its apiVersion and kind, with
 * unknown fields refused. fabric8's classes keep unknown fields in an "additional properties" map
 * (a {@code @JsonAnySetter}); this mapper ignores that setter, so a misspelt field, a wrong nesting
 * or a wrong type fails the parse instead of being carried along.
 */
final class KubernetesSchemas {

  /**
   * The Prometheus Operator's kinds have no fabric8 model here: the fields of its v1 API we use.
   */
  record ServiceMonitor(
      String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {}

  record ServiceMonitorSpec(
      LabelSelector selector,
      NamespaceSelector namespaceSelector,
      List<Endpoint> endpoints,
      List<String> podTargetLabels,
      List<String> targetLabels,
      String jobLabel) {}

  record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, PodMonitorSpec spec) {}

  record PodMonitorSpec(
      LabelSelector selector,
      NamespaceSelector namespaceSelector,
      List<Endpoint> podMetricsEndpoints,
      List<String> podTargetLabels,
      String jobLabel) {}

  record NamespaceSelector(Boolean any, List<String> matchNames) {}

  record Endpoint(
      String port,
      Object targetPort,
      String path,
      String scheme,
      String interval,
      String scrapeTimeout,
      TlsConfig tlsConfig,
      Boolean honorLabels) {}

  record TlsConfig(Boolean insecureSkipVerify, String serverName) {}

  private static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry(
              "apiextensions.k8s.io/v1/CustomResourceDefinition", CustomResourceDefinition.class),
          Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
          Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class));

  private static final ObjectMapper STRICT = strictMapper();

  private static ObjectMapper strictMapper() {
    ObjectMapper m =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .annotationIntrospector(
                new JacksonAnnotationIntrospector() {
                  @Override
                  public Boolean hasAnySetter(Annotated a) {
                    return Boolean.FALSE;
                  }
                })
            .build();
    // The API server's decoder refuses a number or a boolean where a string goes (an env value
    // of 8090 unquoted, a label "true"): so does this one.
    for (CoercionInputShape shape :
        List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return m;
  }

  private KubernetesSchemas() {}

  /**
   * Parses one manifest into its typed model.
   *
   * @throws AssertionError naming the object and the offending field when the API would refuse it
   */
  static Object check(JsonNode manifest) {
    String type = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
    String what = type + " " + manifest.path("metadata").path("name").asText();
    Class<?> model = MODELS.get(type);
    if (model == null) {
      throw new AssertionError(what + ": no schema known for this apiVersion and kind");
    }
    try {
      return STRICT.treeToValue(manifest, model);
    } catch (Exception e) {
      throw new AssertionError(what + " does not fit its API schema: " + e.getMessage(), e);
    }
  }

  /** Parses every manifest into its typed model; fails on the first that does not fit. */
  static void checkAll(Manifests manifests) {
    manifests.all().forEach(KubernetesSchemas::check);
  }
}
