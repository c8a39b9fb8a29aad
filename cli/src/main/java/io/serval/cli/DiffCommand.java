package io.serval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.PlatformException;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.output.PlanText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code serval diff FILE}: what {@code serval deploy FILE} would change, field by field. The
 * platform compares (a dry run of the deploy), so that defaults it fills in and rules such as
 * "predictor changes make a new revision" are its own and cannot drift from what the CLI believes.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    header = "Show what deploying a spec file would change.",
    description = {
      "Compare the resources in FILE with what is deployed, as the platform would apply them:"
          + " for each, whether it would be created, get a new revision (rolled out) or change in"
          + " place, and each changed field with its old and new value. Nothing is applied.",
      "Exits 0 when nothing would change and 1 when something would (as diff and kubectl diff"
          + " do); an invalid spec exits 6 as serval deploy does."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  serval diff my-api.yaml",
      "  serval get minilm -o yaml > minilm.yaml && serval diff minilm.yaml"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no changes",
      "1:changes",
      "2-7:an error, as for serval deploy (6: the platform refused the spec)"
    })
public class DiffCommand implements Callable<Integer> {

  /** Exit code when a deploy would change something (as diff(1)). */
  static final int CHANGES = 1;

  @Parameters(index = "0", paramLabel = "FILE", description = "Spec file, or - for stdin.")
  String file;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String body = DeployCommand.read(file);
    JsonNode plan;
    try {
      plan = connection.management().plan(body, DeployCommand.contentType(file, body));
    } catch (PlatformException e) {
      if (e.exitCode() == ExitCode.REJECTED) {
        throw new CliException(e.exitCode(), DeployCommand.refusal(file, e, body));
      }
      throw e;
    }
    out.print(PlanText.render(plan));
    out.flush();
    return plan.path("changed").asBoolean() ? CHANGES : ExitCode.OK;
  }
}
