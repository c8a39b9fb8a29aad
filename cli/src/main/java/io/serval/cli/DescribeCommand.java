package io.serval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.AutoscalerClient;
import io.serval.cli.client.Json;
import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.ResourceKind;
import io.serval.cli.client.ResourceRef;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.output.Description;
import io.serval.cli.output.OutputFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval describe NAME}: conditions, replicas, revisions and the autoscaler's reasons. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    header = "Show conditions, replicas, revisions and autoscaling of one resource.",
    description =
        "Everything about one API or splitter: its conditions with their reasons, replicas,"
            + " revisions with their traffic, and the autoscaler's last decision and why (when the"
            + " autoscaler can be reached).",
    footerHeading = "%nExamples:%n",
    footer = {"  serval describe minilm", "  serval describe minilm -o json"})
public class DescribeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "An API or splitter.")
  String name;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table (the text description, default), json or yaml: the resource with its status,"
              + " and for an API its replicas and the autoscaler's last decision.")
  OutputFormat output;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ManagementClient.Found f = connection.management().find(ResourceRef.parse(name));
    if (f.kind() == ResourceKind.API) {
      AutoscalerClient.Explanation why = connection.autoscaler().explain(f.name());
      List<JsonNode> replicas = connection.management().replicas(f.name());
      out.print(
          switch (output) {
            case table -> Description.api(f.view(), replicas, why, Instant.now());
            case json -> Json.pretty(Description.apiDocument(f.view(), replicas, why)) + "\n";
            case yaml -> Json.yaml(Description.apiDocument(f.view(), replicas, why));
          });
    } else {
      out.print(
          switch (output) {
            case table -> Description.splitter(f.view(), Instant.now());
            case json -> Json.pretty(f.view()) + "\n";
            case yaml -> Json.yaml(f.view());
          });
    }
    out.flush();
    return ExitCode.OK;
  }
}
