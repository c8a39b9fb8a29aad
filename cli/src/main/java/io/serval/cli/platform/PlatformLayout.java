package io.serval.cli.platform;

import io.serval.cli.client.ApiKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the three services of a local platform are started and wired to each other: the operator
 * (local runtime, state in {home}/state), the router and the autoscaler, all on loopback, all with
 * the platform token of {home}/platform-token on their control-plane calls.
 */
public final class PlatformLayout {

  public static final String OPERATOR = "operator";
  public static final String ROUTER = "router";
  public static final String AUTOSCALER = "autoscaler";

  /** Start order; {@code down} stops them in reverse, so the operator goes last. */
  public static final List<String> SERVICES = List.of(OPERATOR, AUTOSCALER, ROUTER);

  private final Path root;
  private final ServalHome home;
  private final Ports ports;
  private final Optional<String> routerApiKey;

  public PlatformLayout(Path root, ServalHome home, Ports ports) {
    this(root, home, ports, Optional.empty());
  }

  /**
   * @param routerApiKey when present, the router requires it on its data plane (set in the router's
   *     environment as serval.router.access.api-keys, unless that is set there already)
   */
  public PlatformLayout(Path root, ServalHome home, Ports ports, Optional<String> routerApiKey) {
    this.root = root;
    this.home = home;
    this.ports = ports;
    this.routerApiKey = routerApiKey;
  }

  public Path predictorJar() {
    return jar("predictor-service");
  }

  public Path jar(String module) {
    return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  private String platformToken() {
    return "serval.platform.token-file=" + home.platformTokenFile();
  }

  public List<ServiceSpec> services() {
    return SERVICES.stream().map(this::service).toList();
  }

  public ServiceSpec service(String name) {
    return switch (name) {
      case OPERATOR ->
          new ServiceSpec(
              OPERATOR,
              jar("operator-service"),
              ports.operatorHttp(),
              List.of(
                  platformToken(),
                  "serval.operator.runtime=local",
                  "serval.operator.state-dir=" + home.stateDir(),
                  "serval.operator.router-url=" + ports.routerUrl(),
                  "serval.operator.local.predictor-jar=" + predictorJar(),
                  // relative file: model URIs in specs resolve against the repository root
                  "serval.operator.local.working-dir=" + root,
                  // file: model URIs may name files under the repository (the examples' models/)
                  // or under {home}/models; replicas refuse any other file
                  "serval.operator.local.model-roots=" + root + "," + home.modelsDir(),
                  "quarkus.http.host=127.0.0.1",
                  "quarkus.http.port=" + ports.operatorHttp(),
                  "quarkus.grpc.server.host=127.0.0.1",
                  "quarkus.grpc.server.port=" + ports.operatorGrpc()));
      case ROUTER ->
          new ServiceSpec(
              ROUTER,
              jar("router-service"),
              ports.routerHttp(),
              List.of(
                  platformToken(),
                  "serval.router.operator-address=127.0.0.1:" + ports.operatorGrpc(),
                  "serval.router.autoscaler-address=127.0.0.1:" + ports.autoscalerGrpc(),
                  // async requests are kept in this platform's home, beside the operator's state
                  "serval.router.async.store.sqlite-file="
                      + home.stateDir().resolve("async-requests.db"),
                  "quarkus.http.host=127.0.0.1",
                  "quarkus.http.port=" + ports.routerHttp(),
                  "quarkus.grpc.server.host=127.0.0.1",
                  "quarkus.grpc.server.port=" + ports.routerGrpc()),
              routerEnvironment());
      case AUTOSCALER ->
          new ServiceSpec(
              AUTOSCALER,
              jar("autoscaler-service"),
              ports.autoscalerHttp(),
              List.of(
                  platformToken(),
                  "serval.autoscaler.operator-address=127.0.0.1:" + ports.operatorGrpc(),
                  "quarkus.http.host=127.0.0.1",
                  "quarkus.http.port=" + ports.autoscalerHttp(),
                  "quarkus.grpc.server.host=127.0.0.1",
                  "quarkus.grpc.server.port=" + ports.autoscalerGrpc()));
      default -> throw new IllegalArgumentException("no service named " + name);
    };
  }

  private Map<String, String> routerEnvironment() {
    String inherited = System.getenv(ApiKey.ROUTER_ENV);
    if (routerApiKey.isEmpty() || (inherited != null && !inherited.isBlank())) {
      return Map.of();
    }
    return Map.of(ApiKey.ROUTER_ENV, routerApiKey.get());
  }
}
