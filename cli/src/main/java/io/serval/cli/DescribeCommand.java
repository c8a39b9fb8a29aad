package io.serval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.AutoscalerClient;
import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.ResourceKind;
import io.serval.cli.client.ResourceRef;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.output.Description;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
    footerHeading = "%nExample:%n",
    footer = "  serval describe minilm")
public class DescribeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "An API or splitter.")
  String name;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ManagementClient.Found f = connection.management().find(ResourceRef.parse(name));
    if (f.kind() == ResourceKind.API) {
      AutoscalerClient.Explanation why = connection.autoscaler().explain(f.name());
      List<JsonNode> replicas = connection.management().replicas(f.name());
      out.print(Description.api(f.view(), replicas, why, Instant.now()));
    } else {
      out.print(Description.splitter(f.view(), Instant.now()));
    }
    out.flush();
    return ExitCode.OK;
  }
}
