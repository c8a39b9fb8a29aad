package io.serval.operator.runtime.local;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.operator.control.DeployPlanner;
import io.serval.operator.control.PlannedChange;
import io.serval.operator.spec.SpecException;
import io.serval.operator.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file: model URIs outside the local runtime's model roots are refused at deploy time. */
class ModelRootsTest {

  @TempDir Path dir;

  private static List<PlannedChange> plan(String uri) {
    String yaml = api("m").replace("file:models/m.onnx", uri);
    return new DeployPlanner(true)
        .plan(new SpecParser().parse(yaml), Map.of(), Map.of(), Instant.now());
  }

  @Test
  void filesUnderARootPassAndOthersAreRefusedWithTheField() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path models = Files.createDirectories(dir.resolve("models"));
    Files.writeString(models.resolve("m.onnx"), "x");
    Files.writeString(dir.resolve("secret.onnx"), "x");
    ModelRoots roots = new ModelRoots(work, List.of(Path.of("."), models));

    assertThatCode(() -> roots.check(plan("file:" + models.resolve("m.onnx"))))
        .doesNotThrowAnyException();
    assertThatCode(() -> roots.check(plan("file:sub/not-yet-there.onnx")))
        .doesNotThrowAnyException();
    assertThatCode(() -> roots.check(plan("https://models.example/m.onnx")))
        .doesNotThrowAnyException();

    assertThatThrownBy(() -> roots.check(plan("file:/etc/passwd")))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith(
                        "m: spec.model.uri: file /etc/passwd is outside the local runtime's model roots")
                    .endsWith("(serval.operator.local.model-roots)"));
    // dot segments resolve before the check
    assertThatThrownBy(() -> roots.check(plan("file:../secret.onnx")))
        .hasMessageContaining("is outside the local runtime's model roots");
    // a link inside a root that points out of it is judged by its target
    Files.createSymbolicLink(models.resolve("link.onnx"), dir.resolve("secret.onnx"));
    assertThatThrownBy(() -> roots.check(plan("file:" + models.resolve("link.onnx"))))
        .hasMessageContaining("is outside the local runtime's model roots");
  }
}
