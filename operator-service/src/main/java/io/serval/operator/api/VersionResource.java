package io.serval.operator.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * /v1/version: the operator's version, the build's ({@code quarkus.application.version}, the Maven
 * project version), for {@code serval version}. Behind the token like every /v1 call (the read-only
 * one will do).
 */
@Path("/v1/version")
@Tag(name = "version")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

  private final String version;

  public VersionResource(@ConfigProperty(name = "quarkus.application.version") String version) {
    this.version = version;
  }

  @GET
  @Operation(summary = "The operator's name and version")
  public Map<String, String> version() {
    return Map.of("name", "serval-operator", "version", version);
  }
}
