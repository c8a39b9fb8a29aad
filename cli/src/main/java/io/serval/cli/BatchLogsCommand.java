package io.serval.cli;

import io.serval.cli.batch.JobState;
import io.serval.cli.client.JobsClient;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.logs.LogLines;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval batch logs ID [--follow]}: the job's events. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    header = "Print (or follow) a batch job's events.",
    description =
        "One event per line with its time: accepted, started, input read, resumed after a"
            + " restart, items that failed and why, cancelled, finished. --follow keeps printing"
            + " new events until the job has finished (or Ctrl-C).",
    footerHeading = "%nExamples:%n",
    footer = {"  serval batch logs 3f1c0b...e9", "  serval batch logs 3f1c0b...e9 --follow"})
public class BatchLogsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new events until the job has finished.")
  boolean follow;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = BatchCommand.DEFAULT_INTERVAL,
      converter = DurationConverter.class,
      description = "How often --follow asks for new events (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    BatchCommand.checkedId(id);
    JobsClient jobs = connection.router().jobs();
    PrintWriter out = spec.commandLine().getOut();
    List<String> seen = List.of();
    while (true) {
      // the status first: events written before the job finished are all in the read after it
      boolean finished = !follow || JobState.of(jobs.get(id)).status().finished();
      List<String> lines = jobs.logs(id).lines().toList();
      LogLines.newLines(seen, lines).forEach(out::println);
      out.flush();
      seen = lines;
      if (finished) {
        return ExitCode.OK;
      }
      Thread.sleep(interval.toMillis());
    }
  }
}
