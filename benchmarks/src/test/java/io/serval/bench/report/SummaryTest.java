package io.serval.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.bench.load.LoadResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

  private static ResultRow row(String model, String path, String batching, int c, double rps) {
    long requests = Math.round(rps);
    return new ResultRow(
        model, path, batching, c, new LoadResult(requests, 0, 1_000_000_000L, 50, 90, 60, null));
  }

  @Test
  void computesTheTargetRatios() {
    List<ResultRow> rows =
        List.of(
            row("minilm", "inproc", "-", 1, 80),
            row("minilm", "inproc", "-", 8, 160),
            row("minilm", "grpc", "off", 8, 120),
            row("minilm", "grpc", "on", 8, 144),
            row("mlp", "grpc", "off", 64, 1000),
            row("mlp", "grpc", "on", 64, 3000),
            row("tiny", "rest", "off", 1, 5000));
    String summary = Summary.render(rows);
    assertThat(summary)
        .contains("MiniLM best predictor / in-process throughput: 0.900")
        .contains("grpc batching=on c=8")
        .contains("MLP batching on / off throughput at c=64 over grpc: 3.00")
        .contains("tiny p50 at c=1 over rest (batching off): 50 µs");
  }

  @Test
  void pairsEachServedPointWithTheInProcessPointsNextToIt() {
    List<ResultRow> rows =
        List.of(
            row("minilm", "inproc", "-", 8, 100),
            row("minilm", "grpc", "off", 8, 90),
            row("minilm", "inproc", "-", 8, 300),
            row("minilm", "grpc", "off", 8, 270),
            row("minilm", "grpc", "on", 8, 150));
    // 90 / mean(100, 300) = 0.45; 270 / 300 = 0.9 (nothing after it); 150 / 300 = 0.5.
    assertThat(Summary.pairedRatios(rows, "minilm"))
        .contains("grpc batching=off c=8: median 0.675 (min 0.450, max 0.900, 2 pairs)")
        .contains("grpc batching=on c=8: median 0.500 (min 0.500, max 0.500, 1 pairs)");
  }

  @Test
  void comparesEachBatchingOnConfigurationWithTheBestBatchingOffOneByMedian() {
    List<ResultRow> rows =
        List.of(
            row("mlp", "grpc", "off:2x1", 64, 1000),
            row("mlp", "grpc", "on:1x2:b64", 64, 3000),
            row("mlp", "grpc", "off:1x2", 64, 1500),
            row("mlp", "grpc", "off:2x1", 64, 1200),
            row("mlp", "grpc", "on:1x2:b64", 64, 4800),
            row("mlp", "grpc", "off:1x2", 64, 1100),
            row("mlp", "grpc", "off:2x1", 64, 1300),
            row("mlp", "grpc", "on:1x2:b64", 64, 4500));
    // medians: off:2x1 1200, off:1x2 1300, on 4500 -> 4500 / 1300.
    assertThat(Summary.modeRatios(rows))
        .contains("mlp grpc c=64 batching=off:2x1: median 1200.0 req/s over 3 repeats")
        .contains("mlp grpc c=64 batching=off:1x2: median 1300.0 req/s over 2 repeats")
        .contains("mlp grpc c=64 batching on:1x2:b64 / best batching-off (off:1x2): 3.46");
  }

  @Test
  void printsNoModeRatiosForASingleMeasurementOfOneConfiguration() {
    assertThat(Summary.modeRatios(List.of(row("mlp", "grpc", "on", 64, 3000)))).isEmpty();
  }

  @Test
  void saysWhenARatioCannotBeComputed() {
    assertThat(Summary.render(List.of(row("minilm", "inproc", "-", 1, 80))))
        .contains("MiniLM predictor / in-process: not measured");
  }

  @Test
  void csvHasOneLinePerRowAndQuotesErrors() {
    var failing =
        new ResultRow(
            "tiny", "grpc", "on", 8, new LoadResult(1, 2, 1_000_000, 1, 2, 1, "bad, \"x\""));
    String csv = ResultTable.csv(List.of(failing));
    assertThat(csv.lines()).hasSize(2);
    assertThat(csv).contains("\"bad, \"\"x\"\"\"");
  }
}
