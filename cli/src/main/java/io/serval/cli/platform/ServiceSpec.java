package io.serval.cli.platform;

import java.nio.file.Path;
import java.util.List;

/**
 * One service of the local platform: its runner jar, the port its health answers on, and the system
 * properties it is started with.
 */
public record ServiceSpec(String name, Path jar, int httpPort, List<String> properties) {

  public ServiceSpec {
    properties = List.copyOf(properties);
  }

  public String readyUrl() {
    return "http://127.0.0.1:" + httpPort + "/q/health/ready";
  }
}
