package io.serval.cli;

import io.serval.cli.client.ApiKey;
import io.serval.cli.client.HttpEndpoint;
import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.RouterClient;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.platform.ExampleDeployment;
import io.serval.cli.platform.PlatformStarter;
import io.serval.cli.platform.Ports;
import io.serval.cli.platform.ServalHome;
import io.serval.cli.platform.ServiceLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serval up}: the whole platform on this machine, in the background. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    header = "Start the platform on this machine (operator, router, autoscaler).",
    description = {
      "Start the platform on this machine: operator (local runtime: replicas are child JVMs),"
          + " router and autoscaler, in the background, with their logs and pids in $SERVAL_HOME"
          + " (default ~/.serval). Waits until each is ready and prints the endpoints.",
      "Run again while the platform is up, it says so and changes nothing. Stop it with: serval"
          + " down. Specs survive down and up."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./serval up --example            # also deploys the MiniLM example and predicts",
      "  ./serval up --port-offset 1000   # router on 9080, operator on 9090, ..."
    })
public class UpCommand implements Callable<Integer> {

  @Option(
      names = "--example",
      description = "Also deploy " + ExampleDeployment.SPEC + " as the API minilm and predict.")
  boolean example;

  @Option(
      names = "--port-offset",
      paramLabel = "N",
      description =
          "Add N to every default port (router 8080/8081, operator 8090/8091, autoscaler"
              + " 8070/8071), e.g. to run beside another platform. Without it, up uses the ports"
              + " of the last platform started from $SERVAL_HOME (--port-offset 0: the defaults).")
  Integer portOffset;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "Longest wait for each step to be ready (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "Start the router with this API key required on its data plane, and send it from the"
              + " checks and the example of up (default: $SERVAL_API_KEY). A router started with"
              + " $SERVAL_ROUTER_ACCESS_API_KEYS in the environment keeps those keys.")
  String apiKey;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path root = root();
    ServalHome home = ServalHome.resolve();
    if (portOffset != null) {
      try {
        Ports.withOffset(portOffset);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, e.getMessage());
      }
    }
    Optional<String> key = ApiKey.resolve(apiKey);
    var result =
        new PlatformStarter(root, home, ServiceLauncher.current(root), out, key)
            .up(portOffset, timeout);
    Ports ports = result.state().ports();
    if (result.alreadyUp()) {
      out.println("Serval is already up (nothing changed):");
    } else {
      out.println("Serval is up:");
    }
    printEndpoints(out, home, ports);
    if (example) {
      Optional<String> token = readToken(home);
      ManagementClient management =
          new ManagementClient(
              new HttpEndpoint(
                  "the management API", ports.operatorUrl(), "", Duration.ofSeconds(30)),
              token,
              home.tokenFile().toString());
      RouterClient router =
          new RouterClient(
              new HttpEndpoint("the router", ports.routerUrl(), "", Duration.ofSeconds(30)), key);
      new ExampleDeployment(root, management, router, out).run(timeout);
    } else if (!result.alreadyUp()) {
      out.println();
      out.println(
          "Next: ./serval deploy " + ExampleDeployment.SPEC + "   (or ./serval up --example)");
    }
    out.println("Stop everything with: ./serval down");
    out.flush();
    return ExitCode.OK;
  }

  static void printEndpoints(PrintWriter out, ServalHome home, Ports ports) {
    out.println("  router (V2 REST)    " + ports.routerUrl() + "/v2/models/{name}/infer");
    out.println("  router (V2 gRPC)    localhost:" + ports.routerGrpc());
    out.println("  management API      " + ports.operatorUrl() + "   (Swagger UI: /q/swagger-ui)");
    out.println("  autoscaler          " + ports.autoscalerUrl() + "/v1/autoscaler/apis");
    out.println("  logs                " + home.logsDir());
    out.flush();
  }

  /** The repository the launcher runs from: its jars and example specs live there. */
  static Path root() {
    String prop = System.getProperty("serval.root");
    if (prop == null || prop.isBlank()) {
      prop = System.getenv("SERVAL_ROOT");
    }
    return (prop == null || prop.isBlank() ? Path.of("") : Path.of(prop))
        .toAbsolutePath()
        .normalize();
  }

  private static Optional<String> readToken(ServalHome home) {
    try {
      return Files.isReadable(home.tokenFile())
          ? Optional.of(Files.readString(home.tokenFile()).trim())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
