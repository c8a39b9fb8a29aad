package io.serval.cli.platform;

import java.nio.file.Path;

/**
 * The state directory of a local platform (default ~/.serval, SERVAL_HOME overrides; the system
 * property serval.home overrides both, for tests): the operator's state, the services' logs and
 * what {@code serval up} started.
 */
public record ServalHome(Path dir) {

  public static ServalHome resolve() {
    String prop = System.getProperty("serval.home");
    if (prop != null && !prop.isBlank()) {
      return new ServalHome(Path.of(prop).toAbsolutePath());
    }
    String env = System.getenv("SERVAL_HOME");
    if (env != null && !env.isBlank()) {
      return new ServalHome(Path.of(env).toAbsolutePath());
    }
    return new ServalHome(Path.of(System.getProperty("user.home"), ".serval"));
  }

  /** The operator's serval.operator.state-dir: specs, revisions, replica records, the token. */
  public Path stateDir() {
    return dir.resolve("state");
  }

  public Path tokenFile() {
    return stateDir().resolve("token");
  }

  /**
   * The platform token every service of the local platform requires on control-plane calls,
   * generated (0600) by {@code serval up} on its first start and passed to each service.
   */
  public Path platformTokenFile() {
    return dir.resolve("platform-token");
  }

  /** Where each replica's record ({api}/{id}.json) and log are kept by the operator. */
  public Path replicasDir() {
    return stateDir().resolve("replicas");
  }

  /** Where a user may keep models for {@code file:} URIs, beside the repository's own. */
  public Path modelsDir() {
    return dir.resolve("models");
  }

  public Path logsDir() {
    return dir.resolve("logs");
  }

  public Path log(String service) {
    return logsDir().resolve(service + ".log");
  }

  /** The named platforms of {@code serval env} (0600). */
  public Path environmentsFile() {
    return dir.resolve("environments.yaml");
  }

  /** What {@code serval up} started: ports, pids, logs. */
  public Path platformFile() {
    return dir.resolve("platform.json");
  }
}
