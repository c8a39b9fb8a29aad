package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadmeBlocksTest {

  static final String MARKDOWN =
      """
      # Title

      ```bash
      ./serval up --example
      ```

      ```yaml
      kind: RealtimeApi
      ```

      <!-- not run: needs a cluster -->

      ```bash
      helm install serval deploy/helm/serval
      ```

      <!-- runs in the background until ready: http://localhost:8000/v2/health/ready -->
      ```bash
      ./predictor --model m.onnx --name minilm
      ```
      text
      ```
      plain output
      ```
      """;

  @Test
  void findsEveryBashBlockWithTheCommentAboveIt() {
    List<ReadmeBlocks.Block> blocks = ReadmeBlocks.parse(MARKDOWN);

    assertThat(blocks).extracting(ReadmeBlocks.Block::line).containsExactly(3, 13, 18);
    assertThat(blocks.get(0).code()).isEqualTo("./serval up --example\n");
    assertThat(blocks.get(0).marker()).isEmpty();
    assertThat(blocks.get(1).notRunReason()).contains("needs a cluster");
    assertThat(blocks.get(2).backgroundReadyUrl())
        .contains("http://localhost:8000/v2/health/ready");
    assertThat(blocks.get(2).notRunReason()).isEmpty();
  }

  @Test
  void aBlockRunByCiCarriesItsReasonAndIsNotANotRunBlock() {
    List<ReadmeBlocks.Block> blocks =
        ReadmeBlocks.parse(
            """
            <!-- run by .ci/run: needs root and podman -->
            ```bash
            ./mvnw -Pimages package -DskipTests
            ```

            <!-- not run: needs a cluster -->
            ```bash
            helm install serval deploy/helm/serval
            ```
            """);

    assertThat(blocks.get(0).ciRunReason()).contains("needs root and podman");
    assertThat(blocks.get(0).notRunReason()).isEmpty();
    assertThat(blocks.get(1).ciRunReason()).isEmpty();
  }

  @Test
  void theReadmesImageCommandsAreLinesOfCisScript() throws java.io.IOException {
    java.nio.file.Path root =
        java.nio.file.Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    List<String> ci =
        java.nio.file.Files.readAllLines(root.resolve(".ci/run")).stream()
            .map(String::strip)
            .toList();
    List<ReadmeBlocks.Block> ciBlocks =
        ReadmeBlocks.parse(java.nio.file.Files.readString(root.resolve("README.md"))).stream()
            .filter(b -> b.ciRunReason().isPresent())
            .toList();

    assertThat(ciBlocks).isNotEmpty();
    for (ReadmeBlocks.Block b : ciBlocks) {
      assertThat(b.code().lines().map(String::strip).filter(l -> !l.isBlank()))
          .as("README.md:" + b.line())
          .allMatch(ci::contains);
    }
  }

  @Test
  void anUnclosedFenceIsAnError() {
    assertThatThrownBy(() -> ReadmeBlocks.parse("```bash\n./serval get\n"))
        .hasMessageContaining("line 1 is never closed");
  }

  @Test
  void shiftsLocalPortsUpAndPredictorByTheOffset() {
    String code =
        """
        ./serval up --example
        curl -s localhost:8080/v2/models/minilm/infer -d @x.json
        curl -s localhost:8000/v2/models/minilm   # localhost:9000 stays
        ./predictor --model m.onnx
        ./serval upgrade ./serval get
        """;

    assertThat(ReadmeBlocks.shift(code, 21000))
        .isEqualTo(
            """
            ./serval up --port-offset 21000 --example
            curl -s localhost:29080/v2/models/minilm/infer -d @x.json
            curl -s localhost:29000/v2/models/minilm   # localhost:9000 stays
            ./predictor --http-port 29000 --grpc-port 29001 --model m.onnx
            ./serval upgrade ./serval get
            """);
  }
}
