package io.serval.cli.platform;

import java.nio.file.Path;
import java.util.List;

/**
 * How the three services of a local platform are started and wired to each other: the operator
 * (local runtime, state in {home}/state), the router and the autoscaler, all on loopback.
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

  public PlatformLayout(Path root, ServalHome home, Ports ports) {
    this.root = root;
    this.home = home;
    this.ports = ports;
  }

  public Path predictorJar() {
    return jar("predictor-service");
  }

  public Path jar(String module) {
    return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
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
                  "serval.router.operator-address=127.0.0.1:" + ports.operatorGrpc(),
                  "serval.router.autoscaler-address=127.0.0.1:" + ports.autoscalerGrpc(),
                  "quarkus.http.host=127.0.0.1",
                  "quarkus.http.port=" + ports.routerHttp(),
                  "quarkus.grpc.server.host=127.0.0.1",
                  "quarkus.grpc.server.port=" + ports.routerGrpc()));
      case AUTOSCALER ->
          new ServiceSpec(
              AUTOSCALER,
              jar("autoscaler-service"),
              ports.autoscalerHttp(),
              List.of(
                  "serval.autoscaler.operator-address=127.0.0.1:" + ports.operatorGrpc(),
                  "quarkus.http.host=127.0.0.1",
                  "quarkus.http.port=" + ports.autoscalerHttp(),
                  "quarkus.grpc.server.host=127.0.0.1",
                  "quarkus.grpc.server.port=" + ports.autoscalerGrpc()));
      default -> throw new IllegalArgumentException("no service named " + name);
    };
  }
}
