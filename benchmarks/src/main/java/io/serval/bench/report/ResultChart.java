package io.serval.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG beside a results table: throughput and p99 latency by concurrency, side by side, one line
 * per path, the baselines dashed. Drawn with JFreeChart off-screen (headless AWT).
 */
public final class ResultChart {
  static final int WIDTH = 1400;
  static final int ROW_HEIGHT = 480;

  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f),
    new Color(0xbcbd22),
    new Color(0x17becf)
  };

  private ResultChart() {}

  /** Writes the chart of {@code groups} to {@code png}: one row of two charts per group. */
  public static void write(Path png, String title, List<ResultPoints.Group> groups)
      throws IOException {
    BufferedImage image =
        new BufferedImage(WIDTH, ROW_HEIGHT * groups.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      for (int row = 0; row < groups.size(); row++) {
        ResultPoints.Group group = groups.get(row);
        String t = group.name().isEmpty() ? title : title + ", " + group.name();
        List<ResultPoints.Series> series = group.series();
        JFreeChart throughput =
            chart(t + ": throughput", "requests/s", series, ResultPoints.Point::throughput);
        JFreeChart p99 =
            chart(t + ": p99 latency", "p99 (ms)", series, p -> p.p99Micros() / 1000.0);
        double y = row * (double) ROW_HEIGHT;
        throughput.draw(g, new Rectangle2D.Double(0, y, WIDTH / 2.0, ROW_HEIGHT));
        p99.draw(g, new Rectangle2D.Double(WIDTH / 2.0, y, WIDTH / 2.0, ROW_HEIGHT));
      }
    } finally {
      g.dispose();
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(png)) {
      ChartUtils.writeBufferedImageAsPNG(out, image);
    }
  }

  /** Reads a saved results.csv or results.md and writes its chart to {@code png}. */
  public static void redraw(Path results, Path png, String title) throws IOException {
    write(png, title, ResultPoints.parse(Files.readString(results)));
  }

  private static JFreeChart chart(
      String title,
      String yLabel,
      List<ResultPoints.Series> series,
      ToDoubleFunction<ResultPoints.Point> y) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (ResultPoints.Series s : series) {
      XYSeries line = new XYSeries(s.name() + (s.baseline() ? " (baseline)" : ""), false, true);
      for (ResultPoints.Point p : s.points()) {
        line.add(p.concurrency(), y.applyAsDouble(p));
      }
      data.addSeries(line);
    }
    LogAxis x = new LogAxis("concurrency (clients)");
    x.setBase(2);
    x.setTickUnit(new NumberTickUnit(1));
    x.setSmallestValue(1);
    x.setNumberFormatOverride(new DecimalFormat("0"));
    NumberAxis yAxis = new NumberAxis(yLabel);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
      renderer.setSeriesStroke(
          i,
          series.get(i).baseline()
              ? new BasicStroke(
                  2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
              : new BasicStroke(2.5f));
    }
    XYPlot plot = new XYPlot(data, x, yAxis, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }
}
