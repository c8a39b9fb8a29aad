package io.serval.bench.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.bench.load.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverheadReportTest {
  @TempDir Path tmp;

  private static PathPoint point(
      int round, String protocol, String via, String load, double rps, double p50, double p99) {
    long requests = Math.round(rps);
    return new PathPoint(
        round,
        protocol,
        via,
        load,
        load.equals("c1") ? 1 : load.equals("half") ? 4 : 64,
        new LoadResult(requests, 0, 1_000_000_000L, p50, p99, p50, null));
  }

  private static final List<PathPoint> POINTS =
      List.of(
          point(1, "http", "direct", "c1", 5000, 200, 400),
          point(1, "http", "router", "c1", 4000, 300, 900),
          point(1, "http", "nginx", "c1", 4500, 260, 500),
          point(2, "http", "direct", "c1", 5000, 220, 420),
          point(2, "http", "router", "c1", 4000, 300, 1620),
          point(2, "http", "nginx", "c1", 4500, 260, 520),
          point(1, "grpc", "direct", "sat", 10000, 6000, 9000),
          point(1, "grpc", "router", "sat", 8000, 9000, 20000),
          point(2, "grpc", "direct", "sat", 10000, 6000, 9000),
          point(2, "grpc", "router", "sat", 9000, 7000, 12000));

  @Test
  void overheadIsTheMedianOfPerRoundDifferences() {
    OverheadReport.Overhead router =
        OverheadReport.overhead(POINTS, "http", "router", "c1").orElseThrow();
    // round 1: +100/+500, round 2: +80/+1200
    assertThat(router.p50Micros()).isEqualTo(90);
    assertThat(router.p99Micros()).isEqualTo(850);
    assertThat(router.rounds()).isEqualTo(2);
    OverheadReport.Overhead nginx =
        OverheadReport.overhead(POINTS, "http", "nginx", "c1").orElseThrow();
    assertThat(nginx.p50Micros()).isEqualTo(50);
    assertThat(OverheadReport.overhead(POINTS, "grpc", "router", "c1")).isEmpty();
  }

  @Test
  void saturationRatioIsTheMedianOfPerRoundRatios() {
    assertThat(OverheadReport.saturationRatio(POINTS, "grpc", "router").getAsDouble())
        .isEqualTo(0.85, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(OverheadReport.saturationRatio(POINTS, "http", "router")).isEmpty();
  }

  @Test
  void pointsWithErrorsAreLeftOut() {
    List<PathPoint> points =
        List.of(
            point(1, "http", "direct", "c1", 5000, 200, 400),
            new PathPoint(1, "http", "router", "c1", 1, new LoadResult(10, 3, 1, 1, 1, 1, "x")));
    assertThat(OverheadReport.overhead(points, "http", "router", "c1")).isEmpty();
  }

  @Test
  void rendersTheFiguresAgainstTheTargets() {
    String text = OverheadReport.render(POINTS);
    assertThat(text)
        .contains(
            "http c1 (c=1): router overhead p50 90 µs [PASS <= 150], p99 850 µs [PASS <= 1000]")
        .contains("nginx overhead p50 50 µs")
        .contains("router/nginx p50 1.80x [PASS <= 2x]")
        .contains("grpc saturation (c=64) throughput router / direct: 0.850 [PASS >= 0.8]");
  }

  @Test
  void failsARouterSlowerThanTwiceNginx() {
    assertThat(OverheadReport.withinNginxFactor(101, 50)).isFalse();
    assertThat(OverheadReport.withinNginxFactor(100, 50)).isTrue();
    assertThat(OverheadReport.withinNginxFactor(10, -5)).isFalse();
    assertThat(OverheadReport.withinNginxFactor(-1, -5)).isTrue();
  }

  @Test
  void writesTableAndFigures() throws Exception {
    OverheadReport.write(tmp, "header", POINTS, "derived\n");
    List<String> csv = Files.readAllLines(tmp.resolve("results.csv"));
    assertThat(csv).hasSize(POINTS.size() + 1);
    assertThat(csv.get(1)).startsWith("1,http,direct,c1,1,5000,5000.00,200.0,400.0");
    assertThat(Files.readString(tmp.resolve("results.md")))
        .startsWith("header")
        .contains("| 1 | http | router | c1 | 1 | 4000 | 4000.0 | 300 | 900 | 0 |")
        .endsWith("derived\n");
  }
}
