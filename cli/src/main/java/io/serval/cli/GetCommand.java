package io.serval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serval.cli.client.Json;
import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.ResourceKind;
import io.serval.cli.client.ResourceRef;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.output.Manifest;
import io.serval.cli.output.OutputFormat;
import io.serval.cli.output.ResourceTables;
import io.serval.cli.output.Table;
import io.serval.cli.output.TrafficColumns;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval get [NAME]}: APIs and splitters with their status, as a table, JSON or YAML. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    header = "List APIs and splitters with their status.",
    description = {
      "Show the deployed APIs and traffic splitters (or the one named): status, replicas ready/"
          + "requested, replicas of the current revision, revisions with their traffic share,"
          + " endpoint and last update; then what the router answered per API over the last 5"
          + " minutes: requests per second, 2XX/4XX/5XX counts, p50 and p99 latency (\"-\" with"
          + " a note when the router cannot be read).",
      "Status: live, updating (rollout under way), starting, degraded (a replica keeps dying),"
          + " scaled to zero, unknown."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  serval get",
      "  serval get minilm --watch",
      "  serval get minilm --watch --watch-count 20",
      "  serval get minilm -o yaml > minilm.yaml",
      "  serval get minilm -o json"
    })
public class GetCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME",
      description = "An API or splitter (api/NAME or splitter/NAME when both exist).")
  String name;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "table, json or yaml (default: ${DEFAULT-VALUE}). With NAME, yaml is the applied spec"
              + " as a deployable document (no status): serval deploy of it changes nothing;"
              + " json is the spec with its status.")
  OutputFormat output;

  @Option(
      names = {"-w", "--watch"},
      description = "Redraw every --interval until interrupted (Ctrl-C).")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Redraw interval of --watch (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--watch-count",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "With --watch: stop after N redraws, for scripts (default: 0, until interrupted).")
  int watchCount;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (watchCount < 0) {
      throw new CliException(ExitCode.USAGE, "--watch-count must be >= 0, got " + watchCount);
    }
    PrintWriter out = spec.commandLine().getOut();
    ManagementClient client = connection.management();
    if (!watch) {
      out.print(render(client));
      out.flush();
      return ExitCode.OK;
    }
    // Redraw in place on a terminal; elsewhere (a pipe, a file) append each frame.
    boolean tty = isTerminal();
    int previousLines = 0;
    for (int frame = 1; watchCount == 0 || frame <= watchCount; frame++) {
      String text = render(client);
      if (tty && previousLines > 0) {
        out.print("\033[" + previousLines + "F\033[J");
      } else if (!tty && frame > 1) {
        out.println();
      }
      out.print(text);
      out.flush();
      previousLines = (int) text.chars().filter(c -> c == '\n').count();
      if (watchCount != 0 && frame == watchCount) {
        break;
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return ExitCode.OK;
  }

  /** The router's traffic of the last minutes; "-" columns and a reason when it cannot be read. */
  private TrafficColumns traffic() {
    try {
      return TrafficColumns.of(connection.router().stats());
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      int end = why.indexOf(". ");
      // One line: the first sentence of the reason (the hints are for commands that need it).
      return TrafficColumns.unavailable(end > 0 ? why.substring(0, end) : why);
    }
  }

  /** The API table with the traffic columns, and the note on them as its last line. */
  private String apiTable(List<JsonNode> views, Instant now) {
    TrafficColumns traffic = traffic();
    return ResourceTables.apis(views, now, traffic).render()
        + traffic.note().map(n -> n + "\n").orElse("");
  }

  private String render(ManagementClient client) {
    Instant now = Instant.now();
    if (name != null) {
      ManagementClient.Found f = client.find(ResourceRef.parse(name));
      return switch (output) {
        case json -> Json.pretty(f.view()) + "\n";
        case yaml -> manifest(f.view());
        case table ->
            f.kind() == ResourceKind.API
                ? apiTable(List.of(f.view()), now)
                : ResourceTables.splitters(List.of(f.view()), now).render();
      };
    }
    List<JsonNode> apis = client.list(ResourceKind.API);
    List<JsonNode> splitters = client.list(ResourceKind.SPLITTER);
    if (output != OutputFormat.table) {
      ObjectNode all = Json.MAPPER.createObjectNode();
      all.putArray("apis").addAll(apis);
      all.putArray("splitters").addAll(splitters);
      return output == OutputFormat.json ? Json.pretty(all) + "\n" : Json.yaml(all);
    }
    if (apis.isEmpty() && splitters.isEmpty()) {
      return "nothing is deployed (try: serval deploy deploy/examples/minilm.yaml)\n";
    }
    List<String> parts = new ArrayList<>();
    if (!apis.isEmpty()) {
      parts.add(apiTable(apis, now));
    }
    Table s = ResourceTables.splitters(splitters, now);
    if (!s.isEmpty()) {
      parts.add(s.render());
    }
    return String.join("\n", parts);
  }

  /**
   * The applied spec as a document that {@code serval deploy} takes back unchanged; the status is
   * left to {@code -o json} and {@code describe}.
   */
  private String manifest(JsonNode view) {
    if (Manifest.hidesCredentials(view)) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "warning: the model URI's credentials are hidden (REDACTED); put the real URI back"
              + " before deploying this document");
      err.flush();
    }
    return Json.yaml(Manifest.of(view));
  }

  /**
   * Whether stdout is a terminal. JDK 22+ may return a Console for redirected streams too and added
   * Console.isTerminal() to tell; this code compiles for 21, hence the reflection.
   */
  static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null || System.getenv("TERM") == null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
