package io.serval.cli;

import io.serval.cli.client.ApiKey;
import io.serval.cli.client.AutoscalerClient;
import io.serval.cli.client.HttpEndpoint;
import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.RouterClient;
import io.serval.cli.client.RouterGrpcClient;
import io.serval.cli.env.Environment;
import io.serval.cli.env.EnvironmentFile;
import io.serval.cli.env.Environments;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.platform.PlatformState;
import io.serval.cli.platform.Ports;
import io.serval.cli.platform.ServalHome;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Where the platform is. Each address comes from its option, else its environment variable, else
 * the environment named by --env (else the current one of {@code serval env use}), else the
 * platform that {@code serval up} started (ports recorded in {home}/platform.json), else the
 * default port on localhost. An environment's token goes only to its own URL, and its API key only
 * to its own router: an address given by option or variable gets neither.
 */
public class ConnectionOptions {

  @Option(
      names = "--env",
      paramLabel = "NAME",
      description =
          "Environment to talk to (serval env list; default: the one chosen by serval env use)."
              + " --url, --router-url and $SERVAL_* still win over it.")
  String env;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "Management API (default: $SERVAL_URL, else the platform started by `serval up`, else"
              + " http://localhost:8090).")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Bearer token of the management API, sent on every call (reads accept the read-only"
              + " token too; default: $SERVAL_TOKEN, else $SERVAL_HOME/state/token, written by the"
              + " operator).")
  String token;

  @Option(
      names = "--router-url",
      paramLabel = "URL",
      description = "Router, the V2 data plane (default: $SERVAL_ROUTER_URL, else as --url).")
  String routerUrl;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "API key for the router's data plane, sent as Authorization: Bearer KEY (default:"
              + " $SERVAL_API_KEY, else the first of $SERVAL_ROUTER_ACCESS_API_KEYS).")
  String apiKey;

  @Option(
      names = "--autoscaler-url",
      paramLabel = "URL",
      description = "Autoscaler (default: $SERVAL_AUTOSCALER_URL, else as --url).")
  String autoscalerUrl;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Longest wait for one answer from the platform (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  private static final String UP_HINT =
      "Is the platform running? Start it with ./serval up, or point --url (or SERVAL_URL) at it.";

  public ManagementClient management() {
    ServalHome home = ServalHome.resolve();
    Optional<Environment> environment = environment();
    String base = pick(url, "SERVAL_URL", environment.map(Environment::url), Ports::operatorUrl);
    Optional<String> tok = Optional.ofNullable(blankToNull(token));
    if (tok.isEmpty()) {
      tok = Optional.ofNullable(blankToNull(System.getenv("SERVAL_TOKEN")));
    }
    if (tok.isEmpty() && environment.isPresent()) {
      tok = environment.get().tokenFor(base);
    }
    // the token of `serval up` is the local platform's: with an environment in effect it stays home
    if (tok.isEmpty() && environment.isEmpty() && Files.isReadable(home.tokenFile())) {
      try {
        tok = Optional.ofNullable(blankToNull(Files.readString(home.tokenFile()).trim()));
      } catch (IOException e) {
        tok = Optional.empty();
      }
    }
    String hint =
        "pass --token or set SERVAL_TOKEN (looked in "
            + home.tokenFile()
            + ", where the operator of `serval up` writes it; set SERVAL_HOME if the platform"
            + " keeps its state elsewhere)";
    return new ManagementClient(
        new HttpEndpoint("the management API", base, UP_HINT, requestTimeout), tok, hint);
  }

  public RouterClient router() {
    Optional<Environment> environment = environment();
    String base =
        pick(
            routerUrl,
            "SERVAL_ROUTER_URL",
            environment.flatMap(Environment::router),
            Ports::routerUrl);
    Optional<String> environmentKey = environment.flatMap(e -> e.apiKeyFor(base));
    return new RouterClient(
        new HttpEndpoint(
            "the router",
            base,
            "Is the platform running (./serval up)? Point --router-url (or SERVAL_ROUTER_URL) at"
                + " the router.",
            requestTimeout),
        ApiKey.resolve(apiKey, environmentKey));
  }

  /**
   * The router's gRPC address (HOST:PORT): {@code option}, else $SERVAL_ROUTER_GRPC, else the
   * router gRPC port of the platform started by {@code serval up}, else localhost:8081.
   */
  public RouterGrpcClient routerGrpc(String option) {
    String target =
        pick(option, "SERVAL_ROUTER_GRPC", Optional.empty(), p -> "localhost:" + p.routerGrpc())
            .replaceFirst("^(grpc|http)://", "")
            .replaceAll("/+$", "");
    return new RouterGrpcClient(target, requestTimeout, ApiKey.resolve(apiKey));
  }

  public AutoscalerClient autoscaler() {
    String base =
        pick(autoscalerUrl, "SERVAL_AUTOSCALER_URL", Optional.empty(), Ports::autoscalerUrl);
    return new AutoscalerClient(
        new HttpEndpoint("the autoscaler", base, "", Duration.ofSeconds(5)));
  }

  /**
   * The environment in effect: --env NAME, else the current one; none when neither is set.
   *
   * @throws CliException USAGE when --env names no environment, or the file is open to others
   */
  Optional<Environment> environment() {
    Environments envs = new EnvironmentFile(ServalHome.resolve().environmentsFile()).read();
    if (blankToNull(env) == null) {
      return envs.currentEnvironment();
    }
    return Optional.of(
        envs.get(env)
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCode.USAGE,
                        "--env: no environment " + env + " (serval env list shows them)")));
  }

  private static String pick(
      String option,
      String variable,
      Optional<String> fromEnvironment,
      Function<Ports, String> fromPorts) {
    if (blankToNull(option) != null) {
      return option;
    }
    String fromVariable = blankToNull(System.getenv(variable));
    if (fromVariable != null) {
      return fromVariable;
    }
    if (fromEnvironment.isPresent()) {
      return fromEnvironment.get();
    }
    return fromPorts.apply(
        PlatformState.read(ServalHome.resolve().platformFile())
            .map(PlatformState::ports)
            .orElse(Ports.DEFAULT));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
