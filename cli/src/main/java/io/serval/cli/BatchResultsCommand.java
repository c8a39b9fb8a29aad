package io.serval.cli;

import io.serval.cli.batch.JobState;
import io.serval.cli.batch.JobStatus;
import io.serval.cli.client.JobsClient;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval batch results ID}: download a finished job's results (and failures). */
@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    header = "Download a finished batch job's results and failed items.",
    description = {
      "Download the results of a finished job whose input was uploaded (the router keeps its"
          + " results) to --output, one line per item in input order, and, when some items"
          + " failed, the failed items with their reasons to --failures. A job whose output is"
          + " in object storage prints where its results are.",
      "A job that has not finished yet exits 6 (follow it: serval batch get ID --wait)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  serval batch results 3f1c0b...e9",
      "  serval batch results 3f1c0b...e9 --output results.jsonl"
    })
public class BatchResultsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Where the results go (default: NAME-ID.results.jsonl here).")
  Path output;

  @Option(
      names = "--failures",
      paramLabel = "FILE",
      description = "Where the failed items go (default: the output with .failures.jsonl).")
  Path failures;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    BatchCommand.checkedId(id);
    JobsClient jobs = connection.router().jobs();
    JobState job = JobState.of(jobs.get(id));
    PrintWriter out = spec.commandLine().getOut();
    if (!job.status().finished()) {
      throw new CliException(
          ExitCode.REJECTED,
          "job "
              + id
              + " is still "
              + job.statusText()
              + ": its results come once it has finished (serval batch get "
              + id
              + " --wait)");
    }
    if (job.status() == JobStatus.FAILED) {
      throw new CliException(
          ExitCode.FAILED,
          "job "
              + id
              + " failed"
              + (job.error() == null ? "" : ": " + job.error())
              + "; it has no results");
    }
    if (!job.outputOnRouter()) {
      out.println("results: " + job.output());
      out.println("failures: " + job.failures());
      out.flush();
      return ExitCode.OK;
    }
    Path results = output != null ? output : BatchCommand.defaultResults(job);
    Path failed = failures != null ? failures : BatchCommand.failuresBeside(results);
    BatchCommand.download(jobs, job, results, failed, out);
    return ExitCode.OK;
  }
}
