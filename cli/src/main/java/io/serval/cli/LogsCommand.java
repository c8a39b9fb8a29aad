package io.serval.cli;

import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.PlatformException;
import io.serval.cli.client.ResourceRef;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.logs.LogLines;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval logs NAME}: the replicas' logs, each line prefixed with its replica. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    header = "Print (or follow) the logs of an API's replicas.",
    description =
        "Print the last lines of the logs of an API's replicas (or of every API behind a"
            + " splitter), each line prefixed with its replica id; -f keeps printing new lines.",
    footerHeading = "%nExamples:%n",
    footer = {"  serval logs minilm", "  serval logs minilm --replica 0 -f"})
public class LogsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "An API or splitter.")
  String name;

  @Option(
      names = "--replica",
      paramLabel = "N",
      description = "Only this replica: its index (the number its id ends with) or its full id.")
  String replica;

  @Option(
      names = {"-n", "--lines"},
      paramLabel = "N",
      defaultValue = "200",
      description = "Lines to show (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until interrupted (Ctrl-C) or the API is deleted.")
  boolean follow;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "How often -f asks for new lines (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (lines < 1) {
      throw new CliException(ExitCode.USAGE, "--lines must be at least 1, got " + lines);
    }
    PrintWriter out = spec.commandLine().getOut();
    ManagementClient client = connection.management();
    ManagementClient.Found f = client.find(ResourceRef.parse(name));
    Predicate<String> wanted = LogLines.replicaFilter(replica);
    Map<String, List<String>> seen = new HashMap<>();
    // -f reads a wider window than it shows, so that lines written between polls are not missed
    int fetch = follow ? Math.max(lines, 1000) : lines;
    boolean first = true;
    while (true) {
      String body;
      try {
        body = client.logs(f.kind(), f.name(), fetch);
      } catch (PlatformException e) {
        if (!first && e.exitCode() == ExitCode.NOT_FOUND) {
          out.println("(" + f.name() + " was deleted)");
          out.flush();
          return ExitCode.OK;
        }
        throw e;
      }
      List<String> fresh = new ArrayList<>();
      for (var e : LogLines.byReplica(body).entrySet()) {
        if (wanted.test(e.getKey())) {
          fresh.addAll(LogLines.newLines(seen.getOrDefault(e.getKey(), List.of()), e.getValue()));
          seen.put(e.getKey(), e.getValue());
        }
      }
      if (first) {
        if (fresh.isEmpty()) {
          spec.commandLine()
              .getErr()
              .println(
                  replica == null
                      ? "(no log lines yet for " + f.name() + ")"
                      : "(no replica " + replica + " in the logs of " + f.name() + ")");
          spec.commandLine().getErr().flush();
        }
        fresh = fresh.subList(Math.max(0, fresh.size() - lines), fresh.size());
      }
      fresh.forEach(out::println);
      out.flush();
      if (!follow) {
        return ExitCode.OK;
      }
      first = false;
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.OK;
      }
    }
  }
}
