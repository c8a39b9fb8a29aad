package io.serval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serval.cli.batch.JobText;
import io.serval.cli.client.Json;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serval batch list}: the batch jobs, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    header = "List the batch jobs, newest first.",
    description =
        "One line per job: id, API, status, items done/total, failed items, age (-o json: the"
            + " router's objects, {\"jobs\": [...]}).",
    footerHeading = "%nExamples:%n",
    footer = {"  serval batch list", "  serval batch list --limit 10 -o json"})
public class BatchListCommand implements Callable<Integer> {

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "At most N jobs, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!format.equals("table") && !format.equals("json")) {
      throw new CliException(ExitCode.USAGE, "-o: table or json, got " + format);
    }
    if (limit < 1 || limit > 1000) {
      throw new CliException(ExitCode.USAGE, "--limit must be 1 to 1000, got " + limit);
    }
    List<JsonNode> jobs = connection.router().jobs().list(limit);
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("json")) {
      ObjectNode all = Json.MAPPER.createObjectNode();
      all.putArray("jobs").addAll(jobs);
      out.println(Json.pretty(all));
    } else {
      out.print(JobText.table(jobs, Instant.now()));
    }
    out.flush();
    return ExitCode.OK;
  }
}
