package io.serval.cli;

import io.serval.cli.batch.FollowGuard;
import io.serval.cli.batch.JobFollower;
import io.serval.cli.batch.JobState;
import io.serval.cli.batch.ProgressDisplay;
import io.serval.cli.client.JobsClient;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code serval batch}: batch jobs on the router ({@code /v1/jobs}, docs/async-and-batch.md): a
 * list of V2 requests run through an API's replicas, results written in input order.
 */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    header = "Run a file of V2 requests through an API as a batch job.",
    description = {
      "A batch job runs each line of a JSONL file (one V2 inference request per line) through an"
          + " API's replicas, on the router, and writes one result per line in input order; items"
          + " that fail after their retries also go to a failures file with the reason. Jobs"
          + " survive restarts of the router.",
      "Exit codes of submit and get --wait: 0 every item succeeded, 8 the job ran through and"
          + " some items failed, 1 the job failed or was cancelled."
    },
    subcommands = {
      BatchSubmitCommand.class,
      BatchGetCommand.class,
      BatchListCommand.class,
      BatchCancelCommand.class,
      BatchLogsCommand.class,
      BatchResultsCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  serval batch submit minilm --input items.jsonl",
      "  serval batch submit minilm --input items.jsonl --detach",
      "  serval batch get 3f1c0b...e9 --wait",
      "  serval batch results 3f1c0b...e9 --output results.jsonl",
      "  serval batch list"
    })
public class BatchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCode.OK;
  }

  /** How often a followed job is read, unless --interval says otherwise. */
  static final String DEFAULT_INTERVAL = "1s";

  /** How long a followed job's router may stay unreachable (a restart) before following stops. */
  static final Duration PATIENCE = Duration.ofMinutes(2);

  /** The id, checked: 32 hex digits. */
  static String checkedId(String id) {
    if (id == null || !id.matches("[0-9a-f]{32}")) {
      throw new CliException(ExitCode.USAGE, "'" + id + "' is not a batch job id (32 hex digits)");
    }
    return id;
  }

  /**
   * Follows the job until it has finished, with the progress display on out (redrawn on a terminal,
   * plain lines every pipeEvery or tenth elsewhere). Ctrl-C leaves the job running and prints how
   * to follow it again.
   */
  static JobState follow(
      JobsClient jobs, String id, CommandSpec spec, Duration interval, Duration pipeEvery)
      throws InterruptedException {
    Clock clock = Clock.systemUTC();
    ProgressDisplay display =
        ProgressDisplay.of(GetCommand.isTerminal(), spec.commandLine().getOut(), clock, pipeEvery);
    try (FollowGuard guard = FollowGuard.install(id, System.err)) {
      return new JobFollower(
              () -> JobState.of(jobs.get(id)),
              display,
              interval,
              PATIENCE,
              clock,
              d -> Thread.sleep(d.toMillis()))
          .follow();
    }
  }

  /**
   * Downloads the results of a finished job the router keeps to results, and its failures (when
   * some items failed) to failures; prints where they went.
   */
  static void download(
      JobsClient jobs, JobState job, Path results, Path failures, PrintWriter out) {
    save(jobs, job.id(), JobsClient.File.RESULTS, results);
    out.println("results: " + results);
    if (job.failed() > 0) {
      save(jobs, job.id(), JobsClient.File.FAILURES, failures);
      out.println("failures: " + failures + " (" + job.failed() + " items)");
    }
    out.flush();
  }

  /** Streams the file into a temporary file beside target, then moves it there: never half one. */
  private static void save(JobsClient jobs, String id, JobsClient.File file, Path target) {
    Path dir = target.toAbsolutePath().getParent();
    Path part;
    try {
      Files.createDirectories(dir);
      part = Files.createTempFile(dir, "." + target.getFileName(), ".part");
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, "cannot write " + target + ": " + e.getMessage());
    }
    try {
      try (OutputStream o = Files.newOutputStream(part)) {
        jobs.download(id, file, o);
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, "cannot write " + target + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // best effort: the part file is hidden and named for its target
      }
    }
  }

  /**
   * The default failures file beside a results file: {@code .failures.jsonl} in place of {@code
   * .results.jsonl} (or of {@code .jsonl}, or added).
   */
  static Path failuresBeside(Path results) {
    String name = results.getFileName().toString();
    String base = name;
    for (String suffix : new String[] {".results.jsonl", ".jsonl"}) {
      if (name.endsWith(suffix)) {
        base = name.substring(0, name.length() - suffix.length());
        break;
      }
    }
    return results.resolveSibling(base + ".failures.jsonl");
  }

  /** The default results file of a job: NAME-ID.results.jsonl in the current directory. */
  static Path defaultResults(JobState job) {
    return Path.of(job.api() + "-" + job.id() + ".results.jsonl");
  }
}
