package io.serval.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultChartTest {
  @TempDir Path dir;

  @Test
  void redrawsSavedResultsAsAPngBesideThem() throws IOException {
    Path csv = dir.resolve("router-2026-12-05.csv");
    Files.writeString(
        csv,
        """
        round,protocol,via,load,concurrency,requests,throughput_rps,p50_us,p99_us,mean_us,errors,first_error
        1,http,direct,c1,1,100,4000.00,200.0,400.0,210.0,0,
        1,http,router,c1,1,100,2000.00,400.0,900.0,410.0,0,
        1,http,direct,sat,64,100,40000.00,200.0,4000.0,210.0,0,
        1,http,router,sat,64,100,20000.00,400.0,9000.0,410.0,0,
        """);
    Path png = dir.resolve("router-2026-12-05.png");

    ResultChart.redraw(csv, png, "RouterBenchmark");

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(ResultChart.WIDTH);
    // One protocol: one row.
    assertThat(image.getHeight()).isEqualTo(ResultChart.ROW_HEIGHT);
    // Something was drawn in both halves: not a blank canvas.
    assertThat(colours(image, 0, ResultChart.WIDTH / 2)).isGreaterThan(3);
    assertThat(colours(image, ResultChart.WIDTH / 2, ResultChart.WIDTH)).isGreaterThan(3);
  }

  @Test
  void writesTheChartOfSeriesGivenDirectly() throws IOException {
    Path png = dir.resolve("nested/results.png");
    ResultChart.write(
        png,
        "t",
        List.of(
            new ResultPoints.Group(
                "grpc",
                List.of(
                    new ResultPoints.Series(
                        "direct", true, List.of(new ResultPoints.Point(1, 10, 100))),
                    new ResultPoints.Series(
                        "router",
                        false,
                        List.of(
                            new ResultPoints.Point(1, 5, 200),
                            new ResultPoints.Point(8, 20, 900))))),
            new ResultPoints.Group(
                "http",
                List.of(
                    new ResultPoints.Series(
                        "router", false, List.of(new ResultPoints.Point(1, 5, 200)))))));
    // Two groups: two rows.
    assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(2 * ResultChart.ROW_HEIGHT);
  }

  private static long colours(BufferedImage image, int fromX, int toX) {
    return java.util.stream.IntStream.range(fromX, toX)
        .boxed()
        .flatMap(
            x ->
                java.util.stream.IntStream.range(0, image.getHeight())
                    .filter(y -> y % 7 == 0)
                    .mapToObj(y -> image.getRGB(x, y)))
        .distinct()
        .count();
  }
}
