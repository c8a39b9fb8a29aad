package io.serval.autoscaler.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /v1/version: the autoscaler's version, the build's ({@code quarkus.application.version}, the
 * Maven project version), for {@code serval version}. On the HTTP port that is deliberately open
 * (docs/security.md), like the decisions beside it: a version is no secret and changes nothing.
 */
@Path("/v1/version")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

  private final String version;

  public VersionResource(@ConfigProperty(name = "quarkus.application.version") String version) {
    this.version = version;
  }

  @GET
  public Map<String, String> version() {
    return Map.of("name", "serval-autoscaler", "version", version);
  }
}
