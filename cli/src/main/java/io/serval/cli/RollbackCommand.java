package io.serval.cli;

import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.ResourceKind;
import io.serval.cli.client.ResourceRef;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.output.ResourceSummary;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval rollback NAME}. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    header = "Go back to the previous revision (or splitter weights).",
    description =
        "Return an API to the revision before the current one (rolled out like any new"
            + " revision), or a splitter to its previous weights.",
    footerHeading = "%nExample:%n",
    footer = "  serval rollback minilm")
public class RollbackCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "An API or splitter.")
  String name;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ManagementClient client = connection.management();
    ManagementClient.Found f = client.find(ResourceRef.parse(name));
    var view = client.rollback(f.kind(), f.name());
    if (f.kind() == ResourceKind.API) {
      out.println(
          f.name()
              + ": rolling back; revisions now "
              + ResourceSummary.revisions(view)
              + " (follow with: serval get "
              + f.name()
              + " --watch)");
    } else {
      out.println(f.name() + ": back to " + ResourceSummary.backends(view));
    }
    out.flush();
    return ExitCode.OK;
  }
}
