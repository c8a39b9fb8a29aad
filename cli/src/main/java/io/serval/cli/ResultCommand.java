package io.serval.cli;

import io.serval.cli.client.PlatformException;
import io.serval.cli.client.RouterClient;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval result ID}: the status or the answer of an async request. */
@Command(
    name = "result",
    mixinStandardHelpOptions = true,
    header = "Print the status or the answer of an async request.",
    description = {
      "Ask the router for the async request ID (from `serval predict NAME --async`): its V2"
          + " answer on stdout once it has succeeded; else its status as JSON"
          + " ({\"id\", \"status\": \"pending\"|\"running\"}). A failed or cancelled request"
          + " prints its status and exits 1.",
      "With --wait, wait until the request has finished (or --timeout has passed: exit 7): the"
          + " router holds each GET until then (Prefer: wait, up to a minute a GET); a router that"
          + " does not hold GETs is asked again every --interval."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  id=$(serval predict minilm --file request.json --async)",
      "  serval result \"$id\"",
      "  serval result \"$id\" --wait --timeout 5m"
    })
public class ResultCommand implements Callable<Integer> {
  static final String STATUS_HEADER = "Serval-Async-Status";

  /** The longest one GET is asked to be held: the router's default max-result-wait. */
  static final long MAX_HOLD_SECONDS = 60;

  @Parameters(index = "0", paramLabel = "ID", description = "The async request's id.")
  String id;

  @Option(names = "--wait", description = "Wait until the request has finished.")
  boolean await;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "500ms",
      converter = DurationConverter.class,
      description =
          "How often --wait asks a router that does not hold GETs, and in the last second before"
              + " --timeout (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (!id.matches("[0-9a-f]{32}")) {
      throw new CliException(
          ExitCode.USAGE, "'" + id + "' is not an async request id (32 hex digits)");
    }
    RouterClient router = connection.router();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      // Whole seconds left, at most a minute a GET (the router's default cap): a GET held past
      // --timeout would overshoot it.
      long hold =
          await ? Math.min(MAX_HOLD_SECONDS, (deadline - System.nanoTime()) / 1_000_000_000L) : 0;
      HttpResponse<String> r =
          hold >= 1 ? router.asyncResult(id, Duration.ofSeconds(hold)) : router.asyncResult(id);
      if (r.statusCode() != 200) {
        PlatformException e = router.error(r);
        String hint = e.exitCode() == ExitCode.UNAUTHORIZED ? ". " + RouterClient.KEY_HINT : "";
        throw new CliException(
            e.exitCode(),
            "the router answered " + r.statusCode() + " for " + id + ": " + e.getMessage() + hint);
      }
      String status = r.headers().firstValue(STATUS_HEADER).orElse("");
      boolean finished =
          status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
      if (finished || !await) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.body());
        out.flush();
        return status.equals("failed") || status.equals("cancelled")
            ? ExitCode.FAILED
            : ExitCode.OK;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new CliException(
            ExitCode.TIMED_OUT,
            "async request " + id + " is still " + status + " after " + timeout + " (--timeout)");
      }
      if (r.headers().firstValue("Preference-Applied").isEmpty()) {
        // Not held (an older router, or under a second left): ask again after --interval.
        Thread.sleep(
            Math.max(
                1, Math.min(interval.toMillis(), (deadline - System.nanoTime()) / 1_000_000L + 1)));
      }
    }
  }
}
