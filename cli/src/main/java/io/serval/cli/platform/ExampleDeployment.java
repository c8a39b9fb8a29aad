package io.serval.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.client.Json;
import io.serval.cli.client.ManagementClient;
import io.serval.cli.client.RouterClient;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import io.serval.cli.rollout.RolloutWatch;
import io.serval.cli.rollout.Target;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code serval up --example}: deploys deploy/examples/minilm.yaml as the API minilm, waits until
 * the router serves it, and shows a prediction and the curl that makes it.
 */
public final class ExampleDeployment {

  public static final String API = "minilm";
  public static final String SPEC = "deploy/examples/minilm.yaml";
  public static final String MODEL = "models/all-minilm-l6-v2-q.onnx";

  /** "Hello world" as BERT token ids, the V2 request of the README. */
  public static final String REQUEST =
      "{\"inputs\": ["
          + "{\"name\": \"input_ids\", \"datatype\": \"INT64\", \"shape\": [1, 4],"
          + " \"data\": [101, 7592, 2088, 102]}, "
          + "{\"name\": \"attention_mask\", \"datatype\": \"INT64\", \"shape\": [1, 4],"
          + " \"data\": [1, 1, 1, 1]}, "
          + "{\"name\": \"token_type_ids\", \"datatype\": \"INT64\", \"shape\": [1, 4],"
          + " \"data\": [0, 0, 0, 0]}]}";

  private final Path root;
  private final ManagementClient management;
  private final RouterClient router;
  private final PrintWriter out;

  public ExampleDeployment(
      Path root, ManagementClient management, RouterClient router, PrintWriter out) {
    this.root = root;
    this.management = management;
    this.router = router;
    this.out = out;
  }

  public void run(Duration timeout) {
    Path spec = root.resolve(SPEC);
    if (!Files.isRegularFile(root.resolve(MODEL))) {
      throw new CliException(
          ExitCode.FAILED,
          "the example model "
              + root.resolve(MODEL)
              + " is missing: the predictor-service build extracts it (./mvnw -B install"
              + " -DskipTests -pl predictor-service -am)");
    }
    String body;
    try {
      body = Files.readString(spec);
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILED, "cannot read " + spec + ": " + e.getMessage());
    }
    out.println();
    out.println("Deploying the example API (" + SPEC + ")");
    JsonNode result = management.deploy(body, "application/yaml");
    List<Target> targets = new ArrayList<>();
    for (JsonNode item : result.path("resources")) {
      out.println(item.path("message").asText());
      targets.add(Target.of(item));
    }
    out.flush();
    boolean ok =
        new RolloutWatch(management, out, Duration.ofMillis(500), timeout, System::nanoTime)
            .follow(targets);
    if (!ok) {
      throw new CliException(
          ExitCode.FAILED, "the example API did not become ready: see serval describe " + API);
    }
    awaitRoute(Duration.ofSeconds(60));
    var r = router.infer(API, REQUEST);
    if (r.statusCode() != 200) {
      throw new CliException(
          ExitCode.FAILED,
          "the sample prediction failed: HTTP " + r.statusCode() + " " + r.body().strip());
    }
    out.println();
    out.println(
        "Sample prediction (served by "
            + r.headers().firstValue("serval-revision").orElse(API)
            + "):");
    for (JsonNode o : Json.parse(r.body()).path("outputs")) {
      out.println("  " + summary(o));
    }
    out.println();
    out.println("Try it yourself" + (router.keyed() ? " (with SERVAL_API_KEY set):" : ":"));
    out.println(
        "  curl -s "
            + router.inferUrl(API)
            + (router.keyed() ? " -H \"Authorization: Bearer $SERVAL_API_KEY\"" : "")
            + " -H 'content-type: application/json' -d '"
            + REQUEST
            + "'");
    out.println("  ./serval predict " + API + " --json '" + REQUEST + "'");
    out.flush();
  }

  /** Routes reach the router a moment after the replicas are ready. */
  private void awaitRoute(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!router.ready(API)) {
      if (System.nanoTime() - deadline > 0) {
        throw new CliException(
            ExitCode.TIMED_OUT,
            "the router at "
                + router.url()
                + " does not serve "
                + API
                + " after "
                + max.toSeconds()
                + "s although its replicas are ready: see the router's log");
      }
      PlatformStarter.pause(Duration.ofMillis(250));
    }
  }

  /** "last_hidden_state FP32 [1,4,384]: [0.1790, 0.0384, ...] (1536 values)". */
  static String summary(JsonNode output) {
    JsonNode data = output.path("data");
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < Math.min(4, data.size()); i++) {
      JsonNode d = data.get(i);
      shown.add(
          d.isFloatingPointNumber()
              ? String.format(Locale.ROOT, "%.4f", d.asDouble())
              : d.asText());
    }
    List<String> shape = new ArrayList<>();
    output.path("shape").forEach(s -> shape.add(s.asText()));
    return output.path("name").asText()
        + " "
        + output.path("datatype").asText()
        + " ["
        + String.join(",", shape)
        + "]: ["
        + String.join(", ", shown)
        + (data.size() > shown.size() ? ", ..." : "")
        + "] ("
        + data.size()
        + " values)";
  }
}
