package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code serval batch ...} against a fake router speaking the /v1/jobs contract. */
@CliTest
class BatchCommandTest {

  static final String ID = "0123456789abcdef0123456789abcdef";
  static final String ITEMS =
      "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}\n"
          + "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[2]}]}\n"
          + "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[3]}]}\n";
  static final String RESULTS =
      "{\"index\":0,\"status\":\"succeeded\",\"response\":{\"outputs\":[]}}\n"
          + "{\"index\":1,\"status\":\"succeeded\",\"response\":{\"outputs\":[]}}\n"
          + "{\"index\":2,\"status\":\"failed\",\"error\":\"bad shape\"}\n";
  static final String FAILURES = "{\"index\":2,\"error\":\"bad shape\",\"attempts\":3}\n";

  static FakePlatform router;
  static Path home;
  Path dir;

  @BeforeAll
  static void start() throws IOException {
    router = new FakePlatform();
    home = Files.createTempDirectory("serval-home");
    System.setProperty("serval.home", home.toString());
  }

  @AfterAll
  static void stop() {
    router.close();
    System.clearProperty("serval.home");
    TempDirs.delete(home);
  }

  @BeforeEach
  void reset() throws IOException {
    router.reset();
    dir = Files.createTempDirectory("serval-batch");
  }

  @AfterEach
  void clean() {
    TempDirs.delete(dir);
  }

  static String job(String status, Integer total, int done, int failed) {
    return job(status, total, done, failed, "local", null);
  }

  static String job(
      String status, Integer total, int done, int failed, String output, String error) {
    return "{\"id\":\""
        + ID
        + "\",\"api\":\"minilm\",\"status\":\""
        + status
        + "\",\"items\":{\"total\":"
        + total
        + ",\"done\":"
        + done
        + ",\"succeeded\":"
        + (done - failed)
        + ",\"failed\":"
        + failed
        + "},\"batchSize\":100,\"parallelism\":8,\"maxRetries\":3,\"input\":\""
        + (output.equals("local") ? "local" : "s3://b/items.jsonl")
        + "\",\"output\":\""
        + output
        + "\",\"failures\":\""
        + (output.equals("local") ? "local" : "s3://b/out/results.failures.jsonl")
        + "\",\"createdAt\":\"2026-12-05T07:00:00Z\",\"startedAt\":\"2026-12-05T07:00:01Z\","
        + "\"finishedAt\":null,\"error\":"
        + (error == null ? "null" : "\"" + error + "\"")
        + "}";
  }

  private LaunchResult run(CliLauncher launcher, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--router-url";
    all[args.length + 1] = router.url();
    all[args.length + 2] = "--api-key";
    all[args.length + 3] = "k-1";
    return launcher.launch(all);
  }

  private Path items() throws IOException {
    Path f = dir.resolve("items.jsonl");
    Files.writeString(f, ITEMS);
    return f;
  }

  private void aJobThatRunsThrough(int failed) {
    router.on(
        "POST /v1/jobs", 201, job("pending", null, 0, 0), Map.of("Location", "/v1/jobs/" + ID));
    router.on("GET /v1/jobs/" + ID, 200, job("pending", null, 0, 0));
    router.on("GET /v1/jobs/" + ID, 200, job("running", 3, 1, 0));
    router.on("GET /v1/jobs/" + ID, 200, job("running", 3, 2, 0));
    router.on("GET /v1/jobs/" + ID, 200, job("succeeded", 3, 3, failed));
    router.on("GET /v1/jobs/" + ID + "/results", 200, RESULTS);
    router.on("GET /v1/jobs/" + ID + "/failures", 200, FAILURES);
  }

  @Test
  void submitStreamsTheFileFollowsTheJobAndDownloadsItsResults(CliLauncher launcher)
      throws IOException {
    aJobThatRunsThrough(1);
    Path out = dir.resolve("out/results.jsonl");

    LaunchResult r =
        run(
            launcher,
            "batch",
            "submit",
            "minilm",
            "--input",
            items().toString(),
            "--output",
            out.toString(),
            "--batch-size",
            "2",
            "--parallelism",
            "4",
            "--max-retries",
            "1",
            "--interval",
            "10ms",
            "--progress-every",
            "1h");

    assertThat(r.exitCode()).as(r.getErrorOutput()).isEqualTo(ExitCode.ITEMS_FAILED);
    FakePlatform.Request submit = router.requests.getFirst();
    assertThat(submit.method() + " " + submit.path())
        .isEqualTo("POST /v1/jobs?api=minilm&batchSize=2&parallelism=4&maxRetries=1");
    assertThat(submit.header("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(submit.header("Content-Length")).isEqualTo(String.valueOf(ITEMS.length()));
    assertThat(submit.header("Authorization")).isEqualTo("Bearer k-1");
    assertThat(submit.body()).isEqualTo(ITEMS);
    // on a pipe (not a terminal): plain progress lines, no control characters
    assertThat(r.getOutput()).doesNotContain("\r", "\033");
    assertThat(r.getOutput())
        .containsSubsequence(
            "pending 0/?",
            "running 1/3 33%",
            "running 2/3 66%",
            "succeeded 3/3 100%  1 failed",
            "job " + ID + " succeeded: 3/3 items done, 2 succeeded, 1 failed",
            "results: " + out,
            "failures: " + dir.resolve("out/results.failures.jsonl") + " (1 items)");
    assertThat(Files.readString(out)).isEqualTo(RESULTS);
    assertThat(Files.readString(dir.resolve("out/results.failures.jsonl"))).isEqualTo(FAILURES);
    assertThat(r.getErrorOutput()).contains("job " + ID + " accepted for minilm");
    assertThat(router.requests).noneMatch(q -> q.method().equals("DELETE"));
  }

  @Test
  void everyItemSucceededExitsZeroAndNamesTheResultsAfterTheJob(CliLauncher launcher)
      throws IOException {
    aJobThatRunsThrough(0);
    Path cwd = Path.of("").toAbsolutePath();
    Path expected = cwd.resolve("minilm-" + ID + ".results.jsonl");
    try {
      LaunchResult r =
          run(
              launcher,
              "batch",
              "submit",
              "minilm",
              "--input",
              items().toString(),
              "--interval",
              "10ms");

      assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
      assertThat(Files.readString(expected)).isEqualTo(RESULTS);
      assertThat(r.getOutput()).doesNotContain("failures:");
      assertThat(router.requests).noneMatch(q -> q.path().endsWith("/failures"));
    } finally {
      Files.deleteIfExists(expected);
    }
  }

  @Test
  void detachPrintsTheIdAndReturns(CliLauncher launcher) throws IOException {
    router.on("POST /v1/jobs", 201, job("pending", null, 0, 0));

    LaunchResult r =
        run(launcher, "batch", "submit", "minilm", "--input", items().toString(), "--detach");

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput()).isEqualTo(ID);
    assertThat(r.getErrorOutput()).contains("serval batch get " + ID + " --wait");
    assertThat(router.requests).hasSize(1);
  }

  @Test
  void anObjectStorageInputIsSentAsJsonAndItsResultsStayThere(CliLauncher launcher) {
    String output = "s3://b/out/results.jsonl";
    router.on("POST /v1/jobs", 201, job("pending", null, 0, 0, output, null));
    router.on("GET /v1/jobs/" + ID, 200, job("succeeded", 3, 3, 0, output, null));

    LaunchResult r =
        run(
            launcher,
            "batch",
            "submit",
            "minilm",
            "--input",
            "s3://b/items.jsonl",
            "--output",
            output,
            "--parallelism",
            "2",
            "--interval",
            "10ms");

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    FakePlatform.Request submit = router.requests.getFirst();
    assertThat(submit.path()).isEqualTo("/v1/jobs");
    assertThat(submit.header("Content-Type")).isEqualTo("application/json");
    assertThat(submit.body())
        .isEqualTo(
            "{\"api\":\"minilm\",\"input\":\"s3://b/items.jsonl\",\"output\":\""
                + output
                + "\",\"parallelism\":2}");
    assertThat(r.getOutput()).contains("results: " + output);
    assertThat(router.requests).noneMatch(q -> q.path().endsWith("/results"));
  }

  @Test
  void badCommandLinesExitTwoBeforeAnyCall(CliLauncher launcher) throws IOException {
    String in = items().toString();
    assertThat(
            run(
                launcher,
                "batch",
                "submit",
                "minilm",
                "--input",
                "s3://b/i.jsonl",
                "--output",
                "r.jsonl"))
        .satisfies(
            r -> assertThat(r.getErrorOutput()).contains("an s3:// input needs an s3:// output"));
    assertThat(
            run(launcher, "batch", "submit", "minilm", "--input", in, "--output", "s3://b/r.jsonl"))
        .satisfies(r -> assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE));
    assertThat(
            run(
                launcher,
                "batch",
                "submit",
                "minilm",
                "--input",
                dir.resolve("none.jsonl").toString()))
        .satisfies(r -> assertThat(r.getErrorOutput()).contains("--input: cannot read"));
    assertThat(run(launcher, "batch", "submit", "minilm", "--input", in, "--batch-size", "0"))
        .satisfies(
            r -> assertThat(r.getErrorOutput()).contains("--batch-size must be >= 1, got 0"));
    assertThat(run(launcher, "batch", "get", "nope").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(router.requests).isEmpty();
  }

  @Test
  void theRoutersRefusalsAreShownWithTheirExitCodes(CliLauncher launcher) throws IOException {
    String in = items().toString();
    router.on("POST /v1/jobs", 404, "{\"error\":\"no API named minilm\"}");
    LaunchResult unknown = run(launcher, "batch", "submit", "minilm", "--input", in);
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(unknown.getErrorOutput())
        .contains("the router answered 404 for a job of minilm: no API named minilm");

    router.reset();
    router.on("POST /v1/jobs", 400, "{\"error\":\"batchSize: must be at most 1000, got 5000\"}");
    LaunchResult bad =
        run(launcher, "batch", "submit", "minilm", "--input", in, "--batch-size", "5000");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(bad.getErrorOutput()).contains("400", "batchSize: must be at most 1000, got 5000");

    router.reset();
    router.on("POST /v1/jobs", 413, "{\"error\":\"the input is over 1073741824 bytes\"}");
    LaunchResult big = run(launcher, "batch", "submit", "minilm", "--input", in);
    assertThat(big.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(big.getErrorOutput()).contains("413", "the input is over 1073741824 bytes");

    router.reset();
    router.on("POST /v1/jobs", 401, "{\"error\":\"missing or unknown API key\"}");
    LaunchResult key = run(launcher, "batch", "submit", "minilm", "--input", in);
    assertThat(key.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED);
    assertThat(key.getErrorOutput()).contains("--api-key");

    router.reset();
    router.on(
        "POST /v1/jobs",
        429,
        "{\"error\":\"too many unfinished jobs\"}",
        Map.of("Retry-After", "5"));
    LaunchResult busy = run(launcher, "batch", "submit", "minilm", "--input", in);
    assertThat(busy.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(busy.getErrorOutput()).contains("too many unfinished jobs (retry after 5s)");
  }

  @Test
  void aFailedOrCancelledJobExitsOne(CliLauncher launcher) throws IOException {
    router.on("POST /v1/jobs", 201, job("pending", null, 0, 0));
    router.on(
        "GET /v1/jobs/" + ID, 200, job("failed", null, 0, 0, "local", "cannot read the input"));
    LaunchResult failed =
        run(
            launcher,
            "batch",
            "submit",
            "minilm",
            "--input",
            items().toString(),
            "--interval",
            "10ms");
    assertThat(failed.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(failed.getOutput()).contains("job " + ID + " failed", "(cannot read the input)");
    assertThat(router.requests).noneMatch(q -> q.path().endsWith("/results"));

    router.reset();
    router.on("GET /v1/jobs/" + ID, 200, job("cancelled", 3, 1, 0));
    LaunchResult cancelled = run(launcher, "batch", "get", ID, "--wait", "--interval", "10ms");
    assertThat(cancelled.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(cancelled.getOutput()).contains("job " + ID + " cancelled: 1/3 items done");
  }

  @Test
  void getPrintsTheJobAsTextOrJson(CliLauncher launcher) {
    router.on("GET /v1/jobs/" + ID, 200, job("running", 10000, 5200, 52));

    LaunchResult text = run(launcher, "batch", "get", ID);
    assertThat(text.exitCode()).isZero();
    assertThat(text.getOutput())
        .contains("status    running", "items     5200/10000 done: 5148 succeeded, 52 failed")
        .contains("settings  batch size 100, parallelism 8, max retries 3");

    LaunchResult json = run(launcher, "batch", "get", ID, "-o", "json");
    assertThat(json.exitCode()).isZero();
    assertThat(io.serval.cli.client.Json.parse(json.getOutput()).path("items").path("done").asInt())
        .isEqualTo(5200);

    router.reset();
    router.on("GET /v1/jobs/" + ID, 404, "{\"error\":\"no job " + ID + "\"}");
    LaunchResult missing = run(launcher, "batch", "get", ID);
    assertThat(missing.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(missing.getErrorOutput()).contains("the router answered 404 for job " + ID);
  }

  @Test
  void getWaitFollowsToTheEndAndExitsByTheOutcome(CliLauncher launcher) {
    router.on("GET /v1/jobs/" + ID, 200, job("running", 3, 1, 0));
    router.on("GET /v1/jobs/" + ID, 200, job("succeeded", 3, 3, 2));

    LaunchResult r = run(launcher, "batch", "get", ID, "--wait", "--interval", "10ms");

    assertThat(r.exitCode()).isEqualTo(ExitCode.ITEMS_FAILED);
    assertThat(r.getOutput())
        .containsSubsequence(
            "running 1/3", "succeeded 3/3 100%  2 failed", "serval batch results " + ID);

    LaunchResult json =
        run(launcher, "batch", "get", ID, "--wait", "-o", "json", "--interval", "10ms");
    assertThat(json.exitCode()).isEqualTo(ExitCode.ITEMS_FAILED);
    assertThat(io.serval.cli.client.Json.parse(json.getOutput()).path("status").asText())
        .isEqualTo("succeeded");
  }

  @Test
  void listShowsATableOrJson(CliLauncher launcher) {
    router.on("GET /v1/jobs", 200, "{\"jobs\":[" + job("running", null, 7, 1) + "]}");

    LaunchResult table = run(launcher, "batch", "list", "--limit", "10");
    assertThat(table.exitCode()).isZero();
    assertThat(table.getOutput())
        .contains("JOB", "API", "STATUS", "ITEMS", "FAILED", "AGE")
        .containsPattern(ID + "\\s+minilm\\s+running\\s+7/\\?\\s+1\\s+");
    assertThat(router.requests.getFirst().path()).isEqualTo("/v1/jobs?limit=10");

    LaunchResult json = run(launcher, "batch", "list", "-o", "json");
    assertThat(io.serval.cli.client.Json.parse(json.getOutput()).path("jobs").size()).isEqualTo(1);

    router.reset();
    router.on("GET /v1/jobs", 200, "{\"jobs\":[]}");
    assertThat(run(launcher, "batch", "list").getOutput()).contains("no batch jobs");
  }

  @Test
  void cancelSaysWhatHappenedOrWhyNot(CliLauncher launcher) {
    router.on("DELETE /v1/jobs/" + ID, 200, job("cancelled", 10, 4, 0));
    LaunchResult r = run(launcher, "batch", "cancel", ID);
    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput()).isEqualTo("job " + ID + " cancelled (4/10 items done)");

    router.reset();
    router.on("DELETE /v1/jobs/" + ID, 409, "{\"error\":\"job " + ID + " has already finished\"}");
    LaunchResult finished = run(launcher, "batch", "cancel", ID);
    assertThat(finished.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(finished.getErrorOutput()).contains("409", "has already finished");

    router.reset();
    LaunchResult unknown = run(launcher, "batch", "cancel", ID);
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
  }

  @Test
  void logsPrintsTheEventsAndFollowsThemToTheEnd(CliLauncher launcher) {
    String first = "2026-12-05T07:00:00.001Z accepted\n2026-12-05T07:00:00.002Z started\n";
    String second = first + "2026-12-05T07:00:01.000Z item 2 failed: bad shape\n";
    String last = second + "2026-12-05T07:00:02.000Z finished\n";
    router.on("GET /v1/jobs/" + ID + "/logs", 200, first);
    router.on("GET /v1/jobs/" + ID + "/logs", 200, second);
    router.on("GET /v1/jobs/" + ID + "/logs", 200, last);
    router.on("GET /v1/jobs/" + ID, 200, job("running", 3, 1, 0));
    router.on("GET /v1/jobs/" + ID, 200, job("running", 3, 2, 1));
    router.on("GET /v1/jobs/" + ID, 200, job("succeeded", 3, 3, 1));

    LaunchResult r = run(launcher, "batch", "logs", ID, "--follow", "--interval", "10ms");

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(r.getOutput()).isEqualTo(last.strip());

    router.reset();
    router.on("GET /v1/jobs/" + ID + "/logs", 200, first);
    assertThat(run(launcher, "batch", "logs", ID).getOutput()).isEqualTo(first.strip());
  }

  @Test
  void resultsDownloadsAFinishedJobsFiles(CliLauncher launcher) throws IOException {
    router.on("GET /v1/jobs/" + ID, 200, job("succeeded", 3, 3, 1));
    router.on("GET /v1/jobs/" + ID + "/results", 200, RESULTS);
    router.on("GET /v1/jobs/" + ID + "/failures", 200, FAILURES);
    Path out = dir.resolve("r.jsonl");
    Path failures = dir.resolve("f.jsonl");

    LaunchResult r =
        run(
            launcher,
            "batch",
            "results",
            ID,
            "--output",
            out.toString(),
            "--failures",
            failures.toString());

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(RESULTS);
    assertThat(Files.readString(failures, StandardCharsets.UTF_8)).isEqualTo(FAILURES);
    try (var files = Files.list(dir)) {
      assertThat(files).as("no part file left").hasSize(2);
    }
  }

  @Test
  void resultsOfAnUnfinishedJobAreRefused(CliLauncher launcher) {
    router.on("GET /v1/jobs/" + ID, 200, job("running", 3, 1, 0));
    LaunchResult r =
        run(launcher, "batch", "results", ID, "--output", dir.resolve("r.jsonl").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(r.getErrorOutput())
        .contains("is still running", "serval batch get " + ID + " --wait");
    assertThat(dir.resolve("r.jsonl")).doesNotExist();
  }

  @Test
  void aFailedDownloadLeavesNoFile(CliLauncher launcher) {
    router.on("GET /v1/jobs/" + ID, 200, job("succeeded", 3, 3, 0));
    router.on("GET /v1/jobs/" + ID + "/results", 409, "{\"error\":\"not written yet\"}");
    Path out = dir.resolve("r.jsonl");
    LaunchResult r = run(launcher, "batch", "results", ID, "--output", out.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.REJECTED);
    assertThat(r.getErrorOutput())
        .contains("409 for the results of job " + ID + ": not written yet");
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void everyBatchVerbHasHelpWithAnExample(CliLauncher launcher) {
    for (String verb : new String[] {"submit", "get", "list", "cancel", "logs", "results"}) {
      LaunchResult r = launcher.launch("batch", verb, "--help");
      assertThat(r.exitCode()).as(verb).isZero();
      assertThat(r.getOutput()).as(verb).contains("Usage: serval batch " + verb, "Example");
    }
    assertThat(launcher.launch("batch").getOutput().replaceAll("\\s+", " "))
        .contains("submit", "results", "8 the job ran through and some items failed");
    assertThat(launcher.launch("--help").getOutput())
        .contains("batch", "a batch job ran through and some of its items failed");
  }
}
