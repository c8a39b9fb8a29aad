package io.serval.cli;

import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.ResourceRef;
import io.serval.cli.exit.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval delete NAME}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    header = "Delete an API or splitter.",
    description =
        "Delete an API (its replicas are stopped) or a traffic splitter (its APIs stay). An API"
            + " that a splitter sends traffic to cannot be deleted: delete or change the splitter"
            + " first.",
    footerHeading = "%nExample:%n",
    footer = "  serval delete minilm")
public class DeleteCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "An API or splitter.")
  String name;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ManagementClient client = connection.management();
    ManagementClient.Found f = client.find(ResourceRef.parse(name));
    var answer = client.delete(f.kind(), f.name());
    spec.commandLine().getOut().println(answer.path("message").asText(f.name() + ": deleted"));
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
