package io.serval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.PlatformException;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.output.PlanText;
import io.serval.cli.rollout.RolloutWatch;
import io.serval.cli.rollout.Target;
import io.serval.cli.spec.SpecLines;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code serval deploy FILE}: applies the resources in a file and follows their rollout. */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    header = "Apply a spec file and follow the rollout.",
    description = {
      "Create or update the RealtimeApis and TrafficSplitters in FILE (YAML documents separated by"
          + " ---, or JSON), then follow each rollout live until it is ready or rolled back.",
      "Every resource is validated first; any problem refuses all of them, each problem shown"
          + " with its field path and line."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  serval deploy deploy/examples/minilm.yaml",
      "  serval deploy my-api.yaml --no-wait",
      "  serval deploy my-api.yaml --dry-run",
      "  cat my-api.yaml | serval deploy -"
    })
public class DeployCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "Spec file, or - for stdin.")
  String file;

  @Option(names = "--no-wait", description = "Return once the platform accepted the resources.")
  boolean noWait;

  @Option(
      names = "--dry-run",
      description =
          "Validate and plan on the platform, apply nothing: print what the deploy would do"
              + " (created, new revision, in place, unchanged) and each changed field.")
  boolean dryRun;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "Longest time to follow the rollout (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String body = read(file);
    ManagementClient client = connection.management();
    JsonNode result;
    try {
      String type = contentType(file, body);
      result = dryRun ? client.plan(body, type) : client.deploy(body, type);
    } catch (PlatformException e) {
      if (e.exitCode() == ExitCode.REJECTED) {
        throw new CliException(e.exitCode(), refusal(file, e, body));
      }
      throw e;
    }
    if (dryRun) {
      out.print(PlanText.render(result));
      out.println(
          result.path("changed").asBoolean()
              ? "dry run: nothing was applied"
              : "dry run: nothing would change, every resource is already deployed as given");
      out.flush();
      return ExitCode.OK;
    }
    List<Target> targets = new ArrayList<>();
    for (JsonNode item : result.path("resources")) {
      out.println(item.path("message").asText());
      targets.add(Target.of(item));
    }
    out.flush();
    if (!result.path("changed").asBoolean()) {
      out.println("nothing changed: every resource is already deployed as given");
      return ExitCode.OK;
    }
    if (noWait) {
      out.println("follow the rollout with: serval get --watch");
      return ExitCode.OK;
    }
    boolean ok =
        new RolloutWatch(client, out, Duration.ofMillis(500), timeout, System::nanoTime)
            .follow(targets);
    return ok ? ExitCode.OK : ExitCode.FAILED;
  }

  static String refusal(String file, PlatformException e, String body) {
    String where = file.equals("-") ? "stdin" : file;
    List<String> problems = e.problems().isEmpty() ? List.of(e.getMessage()) : e.problems();
    SpecLines lines = SpecLines.of(body);
    StringBuilder b = new StringBuilder("the platform refused ").append(where);
    b.append(problems.size() == 1 ? " (1 problem):" : " (" + problems.size() + " problems):");
    for (String p : problems) {
      OptionalInt line = lines.lineOf(p);
      b.append("\n  ").append(where);
      if (line.isPresent()) {
        b.append(':').append(line.getAsInt());
      }
      b.append(": ").append(p);
    }
    return b.toString();
  }

  /** JSON by the file's name or first character, YAML otherwise. */
  static String contentType(String file, String body) {
    boolean json = file.endsWith(".json") || body.stripLeading().startsWith("{");
    return json ? "application/json" : "application/yaml";
  }

  static String read(String file) {
    try {
      if (file.equals("-")) {
        return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Path p = Path.of(file);
      if (!Files.isRegularFile(p)) {
        throw new CliException(ExitCode.USAGE, "no such file: " + file);
      }
      return Files.readString(p);
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage());
    }
  }
}
