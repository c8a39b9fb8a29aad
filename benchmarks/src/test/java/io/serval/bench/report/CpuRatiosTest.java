package io.serval.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.bench.load.LoadResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuRatiosTest {

  private static CpuRatios.Point point(String path, String batching, double server, double client) {
    return new CpuRatios.Point(
        new ResultRow(
            "minilm", path, batching, 1, new LoadResult(100, 0, 1_000_000_000L, 50, 90, 60, null)),
        server,
        client);
  }

  @Test
  void eachServedPointIsComparedWithTheInProcessPointsBesideIt() {
    List<CpuRatios.Point> points =
        List.of(
            point("inproc", "-", 12_000, 0),
            point("rest@base", "off", 19_000, 1_000), // (12000 + 14000) / 2 / 20000
            point("rest", "off", 15_000, 1_000), // (12000 + 14000) / 2 / 16000
            point("inproc", "-", 14_000, 0),
            point("rest", "off", 16_000, 1_500), // 14000 / 17500
            point("grpc", "off", Double.NaN, 1_000)); // no CPU reading: left out

    String out = CpuRatios.render(points, "minilm");

    assertThat(out)
        .contains("rest@base batching=off c=1: median 0.650 (min 0.650, max 0.650, 1 points)")
        .contains("rest batching=off c=1: median 0.806 (min 0.800, max 0.813, 2 points)")
        .doesNotContain("grpc");
    assertThat(CpuRatios.render(points, "mlp")).isEmpty();
  }
}
