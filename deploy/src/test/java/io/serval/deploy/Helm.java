package io.serval.deploy;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The helm that fetch-helm.sh put under target/tools, run with its cache, config and data homes
 * under target/ so that nothing lands in $HOME. A missing helm fails the test with the reason the
 * script recorded, never skips it.
 */
final class Helm {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final long TIMEOUT_SECONDS = 60;

  static final Path DEPLOY = Path.of(System.getProperty("serval.deploy.dir", "."));
  static final Path CHART = DEPLOY.resolve("helm/serval");

  private Helm() {}

  static String run(String... args) {
    Path tools = Path.of(System.getProperty("serval.tools.dir", "target/tools"));
    Path helm = tools.resolve("helm");
    if (!Files.isExecutable(helm)) {
      Path error = tools.resolve("helm.error");
      String why;
      try {
        why = Files.exists(error) ? Files.readString(error).trim() : "fetch-helm.sh did not run";
      } catch (IOException e) {
        why = "cannot read " + error + ": " + e.getMessage();
      }
      return fail("no helm at " + helm + ": " + why);
    }
    Path home = Path.of(System.getProperty("serval.helm.home", "target/helm-home"));
    List<String> command = new ArrayList<>();
    command.add(helm.toString());
    command.addAll(List.of(args));
    try {
      Files.createDirectories(home);
      Path stdout = Files.createTempFile(home, "helm", ".out");
      Path stderr = Files.createTempFile(home, "helm", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
      pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
      pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return fail("helm " + String.join(" ", args) + " took over " + TIMEOUT_SECONDS + "s");
      }
      String out = Files.readString(stdout, StandardCharsets.UTF_8);
      String err = Files.readString(stderr, StandardCharsets.UTF_8);
      Files.delete(stdout);
      Files.delete(stderr);
      if (p.exitValue() != 0) {
        return fail(
            "helm " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + err + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** helm template of the chart, parsed into one node per manifest. */
  static Manifests template(String... extraArgs) {
    List<String> args =
        new ArrayList<>(List.of("template", "serval", CHART.toString(), "--namespace", "serving"));
    args.addAll(List.of(extraArgs));
    return new Manifests(parse(run(args.toArray(String[]::new))));
  }

  static List<JsonNode> parse(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm's output is not YAML", e);
    }
    return docs;
  }
}
