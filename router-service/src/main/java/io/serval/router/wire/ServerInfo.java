package io.serval.router.wire;

import java.util.List;

/**
 * What the router says of itself in the V2 server metadata (REST {@code GET /v2}, gRPC {@code
 * ServerMetadata}); its version is the build's ({@code quarkus.application.version}, the Maven
 * project version), read by each edge.
 */
public final class ServerInfo {

  public static final String NAME = "serval-router";

  /** The V2 extensions the router speaks on every model. */
  public static final List<String> EXTENSIONS = List.of("binary_tensor_data");

  /** The config property that holds the build's version. */
  public static final String VERSION_PROPERTY = "quarkus.application.version";

  private ServerInfo() {}
}
