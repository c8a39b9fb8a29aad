package io.serval.cli;

import io.serval.cli.batch.JobOutcome;
import io.serval.cli.batch.JobState;
import io.serval.cli.batch.JobStatus;
import io.serval.cli.client.JobsClient;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval batch submit NAME --input F}: a new batch job, followed until it has finished. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    header = "Submit a batch job and follow it until it has finished.",
    description = {
      "Run every line of --input (one V2 inference request per line) through the API NAME. A"
          + " local file is streamed to the router, which keeps it and the results; an s3://"
          + " input is read by the router itself, and its results go to --output in object"
          + " storage.",
      "Unless --detach, follow the job with a progress display (one line redrawn on a terminal,"
          + " plain lines on a pipe) until it has finished, then download the results of a local"
          + " input to --output (and the failed items to --failures). Ctrl-C stops following and"
          + " leaves the job running: `serval batch get ID --wait` follows it again.",
      "Exit codes: 0 every item succeeded, 8 some items failed (see the failures file), 1 the"
          + " job failed or was cancelled; 2 bad command line, 3 router unreachable, 4 API key"
          + " refused, 5 no such API, 6 refused by the router (a bad parameter, an input too big)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  serval batch submit minilm --input items.jsonl",
      "  serval batch submit minilm --input items.jsonl --output results.jsonl --parallelism 4",
      "  serval batch submit minilm --input items.jsonl --detach     # prints the job id",
      "  serval batch submit minilm --input s3://bucket/items.jsonl \\",
      "      --output s3://bucket/out/results.jsonl"
    })
public class BatchSubmitCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "The API that runs the items.")
  String name;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE|s3://BUCKET/KEY",
      description = "The items: a local JSONL file, or an object in S3-compatible storage.")
  String input;

  @Option(
      names = "--output",
      paramLabel = "FILE|s3://BUCKET/KEY",
      description =
          "Where the results go: for a local input, the file they are downloaded to (default:"
              + " NAME-JOBID.results.jsonl here); for an s3:// input, an s3:// URI (required).")
  String output;

  @Option(
      names = "--failures",
      paramLabel = "FILE|s3://BUCKET/KEY",
      description =
          "Where the failed items go (default: the output with .failures.jsonl in place of"
              + " .jsonl); local only when some items failed.")
  String failures;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Items sent to a replica together (default: the router's).")
  Integer batchSize;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "Batches in flight at once (default: the router's).")
  Integer parallelism;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      description =
          "Retries of a failing item before it goes to the failures (default: the router's).")
  Integer maxRetries;

  @Option(names = "--detach", description = "Print the job id and return at once; the job runs on.")
  boolean detach;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = BatchCommand.DEFAULT_INTERVAL,
      converter = DurationConverter.class,
      description = "How often the job is read while following it (default: ${DEFAULT-VALUE}).")
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
    positive("--batch-size", batchSize);
    positive("--parallelism", parallelism);
    if (maxRetries != null && maxRetries < 0) {
      throw new CliException(ExitCode.USAGE, "--max-retries must be >= 0, got " + maxRetries);
    }
    JobsClient.Settings settings = new JobsClient.Settings(batchSize, parallelism, maxRetries);
    JobsClient jobs = connection.router().jobs();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JobState job;
    if (remote(input)) {
      if (output == null || !remote(output)) {
        throw new CliException(
            ExitCode.USAGE,
            "--output: an s3:// input needs an s3:// output (the router writes the results"
                + " there itself), got "
                + (output == null ? "none" : output));
      }
      if (failures != null && !remote(failures)) {
        throw new CliException(
            ExitCode.USAGE,
            "--failures: an s3:// input needs an s3:// failures URI, got " + failures);
      }
      job = JobState.of(jobs.submit(name, input, output, Optional.ofNullable(failures), settings));
    } else {
      if (output != null && remote(output) || failures != null && remote(failures)) {
        throw new CliException(
            ExitCode.USAGE,
            "--output: the router keeps the results of a local input (they are downloaded from"
                + " it); an s3:// output needs an s3:// input");
      }
      Path file = Path.of(input);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new CliException(ExitCode.USAGE, "--input: cannot read " + input);
      }
      job = JobState.of(jobs.submit(name, file, settings));
    }
    if (detach) {
      out.println(job.id());
      out.flush();
      err.println(
          "job accepted for "
              + name
              + "; follow it with: serval batch get "
              + job.id()
              + " --wait");
      err.flush();
      return ExitCode.OK;
    }
    err.println(
        "job "
            + job.id()
            + " accepted for "
            + name
            + " (Ctrl-C stops following; the job keeps running)");
    err.flush();
    JobState done = BatchCommand.follow(jobs, job.id(), spec, interval, progressEvery);
    out.println(JobOutcome.summary(done));
    out.flush();
    if (done.status() == JobStatus.FAILED) {
      return JobOutcome.exitCode(done);
    }
    if (done.outputOnRouter()) {
      Path results = output != null ? Path.of(output) : BatchCommand.defaultResults(done);
      Path failed = failures != null ? Path.of(failures) : BatchCommand.failuresBeside(results);
      BatchCommand.download(jobs, done, results, failed, out);
    } else {
      out.println("results: " + done.output());
      if (done.failed() > 0) {
        out.println("failures: " + done.failures() + " (" + done.failed() + " items)");
      }
      out.flush();
    }
    return JobOutcome.exitCode(done);
  }

  private static boolean remote(String location) {
    return location.startsWith("s3://");
  }

  private static void positive(String option, Integer value) {
    if (value != null && value < 1) {
      throw new CliException(ExitCode.USAGE, option + " must be >= 1, got " + value);
    }
  }
}
