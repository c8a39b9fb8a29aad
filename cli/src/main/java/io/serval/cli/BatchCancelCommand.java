package io.serval.cli;

import io.serval.cli.batch.JobState;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval batch cancel ID}: no new item of the job starts. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    header = "Cancel a pending or running batch job.",
    description =
        "No new item of the job starts; the results of the items already finished are still"
            + " written. A job that has already finished cannot be cancelled (exit 6); an unknown"
            + " id exits 5.",
    footerHeading = "%nExample:%n",
    footer = {"  serval batch cancel 3f1c0b...e9"})
public class BatchCancelCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    BatchCommand.checkedId(id);
    JobState job = JobState.of(connection.router().jobs().cancel(id));
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "job "
            + id
            + " "
            + job.statusText()
            + " ("
            + job.done()
            + "/"
            + (job.total() == null ? "?" : job.total())
            + " items done)");
    out.flush();
    return ExitCode.OK;
  }
}
