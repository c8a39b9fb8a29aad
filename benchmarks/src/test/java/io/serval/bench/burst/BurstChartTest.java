package io.serval.bench.burst;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BurstChartTest {
  @TempDir Path dir;

  @Test
  void drawsTheTraceWithTheEventMarkers() throws Exception {
    BurstTimeline t =
        BurstTimeline.extract(BurstTimelineTest.STEP, Set.of("r-old"), BurstTimelineTest.burst());
    List<SecondSeries.Row> rows =
        List.of(
            new SecondSeries.Row(-2, 40, 0, 60, 2, 2.0, 1, 1),
            new SecondSeries.Row(-1, 41, 0, 61, 2, 2.0, 1, 1),
            new SecondSeries.Row(0, 42, 0, 150, 8, 6.5, 1, 1),
            new SecondSeries.Row(1, 40, 0, 200, 8, 8.0, 2, 1),
            new SecondSeries.Row(2, 41, 0, Double.NaN, 8, Double.NaN, 2, 1),
            new SecondSeries.Row(5, 70, 0, 120, 8, 8.0, 2, 2));
    Path png = dir.resolve("out/burst.png");

    BurstChart.write(png, "burst", rows, t);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(BurstChart.WIDTH);
    assertThat(image.getHeight()).isEqualTo(BurstChart.HEIGHT);
    Set<Integer> colours = new HashSet<>();
    for (int x = 0; x < image.getWidth(); x += 3) {
      for (int y = 0; y < image.getHeight(); y += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    // Lines, markers and text in several colours, not a blank canvas.
    assertThat(colours.size()).isGreaterThan(10);
  }
}
