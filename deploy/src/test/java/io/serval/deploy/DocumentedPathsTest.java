package io.serval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every repository path that the chart's NOTES.txt (what helm prints after an install), the chart's
 * README and the README's Kubernetes section tell a user to use exists.
 */
class DocumentedPathsTest {

  private static final Path ROOT = Helm.DEPLOY.toAbsolutePath().normalize().getParent();

  /** A repository-relative path: a top-level directory of the repository, then more. */
  private static final Pattern PATH =
      Pattern.compile(
          "(?<![\\w/.$-])((?:deploy|docs|[a-z]+-service|scripts|models)/[\\w./-]*[\\w-])");

  static List<String> paths(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PATH.matcher(text);
    while (m.find()) {
      String p = m.group(1);
      // build outputs exist only after a build
      if (!p.contains("/target/")) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void notesNameOnlyFilesThatExist() throws IOException {
    String notes = Files.readString(Helm.CHART.resolve("templates/NOTES.txt"));
    List<String> named = paths(notes);
    assertThat(named).contains("deploy/examples/minilm.yaml");
    assertExist(named, "NOTES.txt");
  }

  @Test
  void theReadmesKubernetesSectionsNameOnlyFilesThatExist() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Kubernetes");
    assertThat(start).as("README.md has a Kubernetes section").isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    List<String> named = paths(readme.substring(start, end < 0 ? readme.length() : end));
    assertThat(named).isNotEmpty();
    assertExist(named, "README.md#Kubernetes");

    List<String> chart = paths(Files.readString(Helm.CHART.resolve("README.md")));
    assertThat(chart).isNotEmpty();
    assertExist(chart, "deploy/helm/serval/README.md");
  }

  @Test
  void aMissingPathIsNoticed() {
    assertThat(paths("kubectl apply -f deploy/examples/minilm-k8s.yaml"))
        .containsExactly("deploy/examples/minilm-k8s.yaml");
    assertThat(Files.exists(ROOT.resolve("deploy/examples/minilm-k8s.yaml"))).isFalse();
  }

  private static void assertExist(List<String> named, String where) {
    for (String p : named) {
      assertThat(ROOT.resolve(p)).as("%s names %s", where, p).exists();
    }
  }
}
