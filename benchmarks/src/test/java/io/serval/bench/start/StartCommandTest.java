package io.serval.bench.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartCommandTest {

  @Test
  void asTheLocalRuntimeWithTheFastStartFilesWhenAsked(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("quarkus-run.jar"), "");
    Files.writeString(dir.resolve("app.aot"), "");
    Files.createDirectory(dir.resolve("onnxruntime-native"));
    Path model = dir.resolve("m.onnx");
    StartVariant fast =
        new StartVariant(
            "f",
            jar,
            true,
            Map.of("serval.predictor.warmup", "false"),
            List.of("-XX:+UseSerialGC"));
    List<String> cmd = StartCommand.of("java", fast, model, 9000, 9001, 25, List.of("-Xmx1g"));
    assertThat(cmd.subList(0, 3))
        .isEqualTo(
            List.of(
                "java",
                "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED"));
    assertThat(cmd)
        .contains(
            "-XX:AOTCache=" + dir.resolve("app.aot"),
            "-Donnxruntime.native.path=" + dir.resolve("onnxruntime-native"),
            "-Xmx1g",
            "-XX:+UseSerialGC",
            "-Dserval.predictor.warmup=false",
            "-Dquarkus.http.port=9000",
            "-Dquarkus.grpc.server.port=9001",
            "-Dserval.predictor.model-fetch.file-roots=" + dir);
    assertThat(cmd.subList(cmd.size() - 2, cmd.size())).containsExactly("-jar", jar.toString());

    List<String> plain =
        StartCommand.of(
            "java", new StartVariant("p", jar, false, Map.of()), model, 9000, 9001, 25, List.of());
    assertThat(plain).noneMatch(o -> o.startsWith("-XX:AOTCache") || o.contains("native.path"));
    List<String> jdk21 = StartCommand.of("java", fast, model, 9000, 9001, 21, List.of());
    assertThat(jdk21).noneMatch(o -> o.startsWith("-XX:AOTCache"));
  }
}
