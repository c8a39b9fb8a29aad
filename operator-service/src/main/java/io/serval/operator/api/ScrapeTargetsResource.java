package io.serval.operator.api;

import io.serval.operator.control.ResourceRegistry;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import io.serval.operator.state.ApiRecord;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * GET /v1/scrape-targets: every replica's HTTP address (where its /q/metrics is) in the shape of
 * Prometheus's HTTP service discovery ({@code http_sd_configs}), labelled with its API, revision
 * and replica. On the local runtime replicas listen on ports chosen at start, so this is how a
 * Prometheus finds them (deploy/monitoring/prometheus-local.yml); on Kubernetes the chart's
 * ServiceMonitor does.
 */
@Path("/v1/scrape-targets")
@Tag(name = "metrics")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ScrapeTargetsResource {

  /** One target group of Prometheus's HTTP SD format. */
  public record TargetGroup(List<String> targets, Map<String, String> labels) {}

  @Inject ResourceRegistry registry;
  @Inject ReplicaRuntime runtime;

  @GET
  @Operation(summary = "Replica metrics endpoints, in Prometheus's HTTP service discovery format")
  public List<TargetGroup> targets() {
    List<TargetGroup> out = new ArrayList<>();
    for (ApiRecord api : registry.apis()) {
      runtime.replicas(api.name()).stream()
          .filter(r -> r.httpAddress() != null && !r.httpAddress().isBlank())
          .sorted(Comparator.comparing(ReplicaInfo::id))
          .forEach(
              r ->
                  out.add(
                      new TargetGroup(
                          List.of(r.httpAddress()),
                          Map.of(
                              "api", api.name(),
                              "revision", r.revision(),
                              "replica", r.id()))));
    }
    return out;
  }
}
