package io.serval.cli.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One service of the local platform: its runner jar, the port its health answers on, the system
 * properties it is started with, and environment variables added to the CLI's own (secrets go
 * there: a process's environment is readable only by its user, its command line by everyone).
 */
public record ServiceSpec(
    String name, Path jar, int httpPort, List<String> properties, Map<String, String> environment) {

  public ServiceSpec {
    properties = List.copyOf(properties);
    environment = Map.copyOf(environment);
  }

  public ServiceSpec(String name, Path jar, int httpPort, List<String> properties) {
    this(name, jar, httpPort, properties, Map.of());
  }

  public String readyUrl() {
    return "http://127.0.0.1:" + httpPort + "/q/health/ready";
  }
}
