package io.serval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.batch.JobOutcome;
import io.serval.cli.batch.JobState;
import io.serval.cli.batch.JobStatus;
import io.serval.cli.batch.JobText;
import io.serval.cli.client.JobsClient;
import io.serval.cli.client.Json;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval batch get ID [--wait]}: one job's state, or its progress until it finishes. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    header = "Show a batch job, or follow it until it has finished.",
    description = {
      "Print the job: status, items done/total with succeeded and failed counts, settings,"
          + " input and output, times (-o json: the router's object).",
      "With --wait, follow it with the progress display until it has finished (the way back"
          + " to a job after `submit --detach` or a Ctrl-C) and exit as submit does: 0 every"
          + " item succeeded, 8 some items failed, 1 the job failed or was cancelled."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  serval batch get 3f1c0b...e9",
      "  serval batch get 3f1c0b...e9 --wait",
      "  serval batch get 3f1c0b...e9 -o json"
    })
public class BatchGetCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  @Option(names = "--wait", description = "Follow the job until it has finished.")
  boolean await;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text or json (default: ${DEFAULT-VALUE}); json with --wait: the finished job only.")
  String format;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = BatchCommand.DEFAULT_INTERVAL,
      converter = DurationConverter.class,
      description = "How often --wait reads the job (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--progress-every",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      hidden = true,
      description =
          "On a pipe, the most time between two progress lines (default: ${DEFAULT-VALUE}).")
  Duration progressEvery;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    BatchCommand.checkedId(id);
    boolean json =
        switch (format) {
          case "json" -> true;
          case "text" -> false;
          default -> throw new CliException(ExitCode.USAGE, "-o: text or json, got " + format);
        };
    JobsClient jobs = connection.router().jobs();
    PrintWriter out = spec.commandLine().getOut();
    if (!await) {
      JsonNode job = jobs.get(id);
      out.print(json ? Json.pretty(job) + "\n" : JobText.describe(job, Instant.now()));
      out.flush();
      return ExitCode.OK;
    }
    JobState done;
    JsonNode last;
    if (json) {
      // no progress on stdout: it carries the JSON alone
      while (true) {
        last = jobs.get(id);
        done = JobState.of(last);
        if (done.status().finished()) {
          break;
        }
        Thread.sleep(interval.toMillis());
      }
      out.println(Json.pretty(last));
    } else {
      done = BatchCommand.follow(jobs, id, spec, interval, progressEvery);
      out.println(JobOutcome.summary(done));
      if (done.outputOnRouter() && done.status() != JobStatus.FAILED) {
        out.println("download the results with: serval batch results " + id);
      }
    }
    out.flush();
    return JobOutcome.exitCode(done);
  }
}
