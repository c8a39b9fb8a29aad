package io.serval.bench.burst;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The burst's trace plot: time since the load step on x; answered requests per second and their
 * p99; the client's concurrency and the in-flight average the autoscaler decided on; the operator's
 * requested and ready replicas; a vertical marker at each event of the {@link BurstTimeline}. Drawn
 * with JFreeChart off-screen (headless AWT).
 */
public final class BurstChart {
  static final int WIDTH = 1300;
  static final int HEIGHT = 900;

  private static final Color[] EVENT_COLORS = {
    new Color(0x444444),
    new Color(0xd62728),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x2ca02c),
    new Color(0x17becf),
    new Color(0x1f77b4)
  };

  private BurstChart() {}

  public static void write(Path png, String title, List<SecondSeries.Row> rows, BurstTimeline t)
      throws IOException {
    NumberAxis time = new NumberAxis("seconds since the load step");
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
    plot.setGap(12);
    plot.add(
        panel(
            "answered req/s",
            new Color(0x1f77b4),
            series("answered req/s", rows, r -> r.answered()),
            "p99 (ms)",
            new Color(0xd62728),
            series("p99 (ms)", rows, SecondSeries.Row::p99Millis)),
        3);
    plot.add(
        panel(
            "requests in flight",
            new Color(0x444444),
            collection(
                series("client concurrency", rows, SecondSeries.Row::concurrency),
                series(
                    "autoscaler's panic-window average",
                    rows,
                    SecondSeries.Row::autoscalerInFlight)),
            null,
            null,
            null),
        2);
    plot.add(
        panel(
            "replicas",
            new Color(0x9467bd),
            collection(
                series(
                    "requested (operator)",
                    rows,
                    r -> r.requested() < 0 ? Double.NaN : r.requested()),
                series("ready (operator)", rows, r -> r.ready() < 0 ? Double.NaN : r.ready())),
            null,
            null,
            null),
        2);
    int i = 0;
    for (BurstTimeline.Event e : t.events()) {
      double x = (e.atMillis() - t.stepAtMillis()) / 1000.0;
      Color c = EVENT_COLORS[i % EVENT_COLORS.length];
      for (Object sub : plot.getSubplots()) {
        ValueMarker m = new ValueMarker(x, c, new BasicStroke(1.2f));
        if (sub == plot.getSubplots().get(0)) {
          m.setLabel(String.format(Locale.ROOT, "%s %+.2f s", e.label(), x));
          m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
          m.setLabelPaint(c);
          m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
          m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
          m.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(4 + 14 * i, 2, 2, 2));
        }
        ((XYPlot) sub).addDomainMarker(m);
      }
      i++;
    }
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }

  private static XYPlot panel(
      String label,
      Color color,
      XYSeriesCollection left,
      String rightLabel,
      Color rightColor,
      XYSeries right) {
    XYStepRenderer steps = new XYStepRenderer();
    for (int s = 0; s < left.getSeriesCount(); s++) {
      steps.setSeriesStroke(s, new BasicStroke(2f));
    }
    steps.setSeriesPaint(0, color);
    steps.setSeriesPaint(1, new Color(0x2ca02c));
    steps.setSeriesStroke(
        1,
        new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 3f}, 0f));
    XYPlot plot = new XYPlot(left, null, new NumberAxis(label), steps);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (right != null) {
      NumberAxis axis = new NumberAxis(rightLabel);
      axis.setLabelPaint(rightColor);
      plot.setRangeAxis(1, axis);
      plot.setDataset(1, new XYSeriesCollection(right));
      XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, true);
      line.setSeriesPaint(0, rightColor);
      line.setSeriesStroke(0, new BasicStroke(1.2f));
      plot.setRenderer(1, line);
      plot.mapDatasetToRangeAxis(1, 1);
    }
    return plot;
  }

  private static XYPlot panel(
      String label,
      Color color,
      XYSeries left,
      String rightLabel,
      Color rightColor,
      XYSeries right) {
    return panel(label, color, new XYSeriesCollection(left), rightLabel, rightColor, right);
  }

  private static XYSeriesCollection collection(XYSeries... series) {
    XYSeriesCollection c = new XYSeriesCollection();
    for (XYSeries s : series) {
      c.addSeries(s);
    }
    return c;
  }

  /** One value per second, at the second's start; NaN values leave a gap. */
  private static XYSeries series(
      String name, List<SecondSeries.Row> rows, ToDoubleFunction<SecondSeries.Row> value) {
    XYSeries s = new XYSeries(name, false, true);
    for (SecondSeries.Row r : rows) {
      double v = value.applyAsDouble(r);
      s.add(r.second(), Double.isNaN(v) ? null : v);
    }
    return s;
  }
}
