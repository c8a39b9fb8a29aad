package io.serval.cli;

import io.serval.cli.client.Json;
import io.serval.cli.client.PlatformException;
import io.serval.cli.client.RouterClient;
import io.serval.cli.client.RouterGrpcClient;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval predict NAME}: one V2 inference request through the router. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    header = "Send one V2 inference request through the router.",
    description = {
      "Send one Open Inference Protocol V2 request (JSON) to an API or splitter through the router"
          + " and print the V2 response on stdout; the revision that served it goes to stderr.",
      "With --async the router stores the request and answers at once (Prefer: respond-async);"
          + " the request id is printed, and `serval result ID` prints its status or its answer.",
      "With --grpc the same request goes to the router's gRPC server as a ModelInfer call"
          + " (inference.GRPCInferenceService, raw tensor contents) and the answer is printed as"
          + " V2 JSON, as over REST.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  serval predict minilm --json '{\"inputs\": [",
      "    {\"name\": \"input_ids\", \"datatype\": \"INT64\", \"shape\": [1, 4], \"data\": [101, 7592,"
          + " 2088, 102]},",
      "    {\"name\": \"attention_mask\", \"datatype\": \"INT64\", \"shape\": [1, 4], \"data\": [1,"
          + " 1, 1, 1]},",
      "    {\"name\": \"token_type_ids\", \"datatype\": \"INT64\", \"shape\": [1, 4], \"data\": [0,"
          + " 0, 0, 0]}]}'",
      "  serval predict minilm --file request.json",
      "  serval predict minilm --file request.json --grpc",
      "  serval predict minilm --file request.json --async     # prints the request id",
      "  serval result 3f1c0b...e9 --wait"
    })
public class PredictCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "An API or splitter.")
  String name;

  @ArgGroup(multiplicity = "1")
  Input input;

  static class Input {
    @Option(names = "--json", paramLabel = "DATA", description = "The V2 request body.")
    String json;

    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "A file holding the V2 request body (- for stdin).")
    String file;
  }

  @Option(
      names = "--grpc",
      description =
          "Send the request over gRPC (ModelInfer) instead of REST; the answer is printed as V2"
              + " JSON all the same.")
  boolean grpc;

  @Option(
      names = "--async",
      description =
          "Send the request as an async request: print its id at once; `serval result ID` gets"
              + " the answer later. REST only.")
  boolean async;

  @Option(
      names = "--router-grpc",
      paramLabel = "HOST:PORT",
      description =
          "The router's gRPC server, for --grpc (default: $SERVAL_ROUTER_GRPC, else the platform"
              + " started by `serval up`, else localhost:8081).")
  String routerGrpc;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String body = input.json != null ? input.json : DeployCommand.read(input.file);
    try {
      Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new CliException(
          ExitCode.USAGE,
          (input.json != null ? "--json" : input.file)
              + " is not valid JSON: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    if (grpc && async) {
      throw new CliException(ExitCode.USAGE, "--async goes over REST: drop --grpc");
    }
    if (grpc) {
      return predictOverGrpc(body);
    }
    RouterClient router = connection.router();
    HttpResponse<String> r = async ? router.inferAsync(name, body) : router.infer(name, body);
    if (r.statusCode() / 100 != 2) {
      PlatformException e = router.error(r);
      String retry =
          r.headers().firstValue("Retry-After").map(s -> " (retry after " + s + "s)").orElse("");
      String hint = e.exitCode() == ExitCode.UNAUTHORIZED ? ". " + RouterClient.KEY_HINT : "";
      throw new CliException(
          e.exitCode(),
          "the router answered "
              + r.statusCode()
              + " for "
              + name
              + ": "
              + e.getMessage()
              + retry
              + hint);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (async) {
      if (r.statusCode() != 202) {
        throw new CliException(
            ExitCode.FAILED,
            "the router answered "
                + r.statusCode()
                + " instead of 202 Accepted: it does not take async requests"
                + " (serval.router.async.enabled=false?)");
      }
      out.println(Json.parse(r.body()).path("id").asText());
      out.flush();
      spec.commandLine().getErr().println("accepted; follow it with: serval result ID [--wait]");
      spec.commandLine().getErr().flush();
      return ExitCode.OK;
    }
    out.println(r.body());
    out.flush();
    r.headers().firstValue("serval-revision").ifPresent(this::printRevision);
    return ExitCode.OK;
  }

  private int predictOverGrpc(String body) {
    try (RouterGrpcClient router = connection.routerGrpc(routerGrpc)) {
      RouterGrpcClient.Answer answer = router.infer(name, body);
      PrintWriter out = spec.commandLine().getOut();
      out.println(answer.json());
      out.flush();
      answer.revision().ifPresent(this::printRevision);
    }
    return ExitCode.OK;
  }

  private void printRevision(String revision) {
    spec.commandLine().getErr().println("served by " + revision);
    spec.commandLine().getErr().flush();
  }
}
