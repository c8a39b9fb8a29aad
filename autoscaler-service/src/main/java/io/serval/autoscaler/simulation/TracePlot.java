package io.serval.autoscaler.simulation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws one trace as a PNG with Java2D: the upper panel shows load, capacity and queue (requests),
 * the lower one the replicas asked for and ready. The first run is drawn solid, the second dashed.
 */
final class TracePlot {

  private static final int WIDTH = 1100;
  private static final int HEIGHT = 640;
  private static final int LEFT = 70;
  private static final int RIGHT = 180;
  private static final Color LOAD = new Color(40, 40, 40);
  private static final Color CAPACITY = new Color(30, 110, 220);
  private static final Color QUEUE = new Color(215, 50, 40);
  private static final Color DESIRED = new Color(235, 140, 20);
  private static final Color READY = new Color(40, 160, 70);

  private TracePlot() {}

  static void draw(List<SimulationRun> runs, Path file) throws IOException {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      SimulationRun first = runs.get(0);
      LoadTrace trace = first.scenario().trace();
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(trace.name() + ": " + trace.description(), LEFT, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

      int seconds = trace.seconds();
      double maxRequests = 1;
      double maxReplicas = 1;
      for (SimulationRun run : runs) {
        for (Sample s : run.samples()) {
          maxRequests =
              Math.max(maxRequests, Math.max(s.load(), Math.max(s.capacity(), s.queued())));
          maxReplicas = Math.max(maxReplicas, s.desired());
        }
      }
      Panel top = new Panel(50, 330, seconds, niceCeiling(maxRequests), "requests");
      Panel bottom = new Panel(410, 580, seconds, niceCeiling(maxReplicas), "replicas");
      top.axes(g);
      bottom.axes(g);

      int legendY = 50;
      for (int i = 0; i < runs.size(); i++) {
        SimulationRun run = runs.get(i);
        Stroke stroke = i == 0 ? new BasicStroke(1.8f) : dashed();
        String label = run.scenario().label();
        if (i == 0) {
          top.line(g, run, Sample::load, LOAD, new BasicStroke(1.4f));
          legendY = legend(g, "load", LOAD, new BasicStroke(1.4f), legendY);
        }
        top.line(g, run, Sample::capacity, CAPACITY, stroke);
        legendY = legend(g, "capacity (" + label + ")", CAPACITY, stroke, legendY);
        top.line(g, run, Sample::queued, QUEUE, stroke);
        legendY = legend(g, "queue (" + label + ")", QUEUE, stroke, legendY);
        bottom.line(g, run, Sample::desired, DESIRED, stroke);
        bottom.line(g, run, Sample::ready, READY, stroke);
      }
      int y = 410;
      for (int i = 0; i < runs.size(); i++) {
        Stroke stroke = i == 0 ? new BasicStroke(1.8f) : dashed();
        String label = runs.get(i).scenario().label();
        y = legend(g, "desired (" + label + ")", DESIRED, stroke, y);
        y = legend(g, "ready (" + label + ")", READY, stroke, y);
      }
      g.setColor(Color.DARK_GRAY);
      g.drawString("time (minutes)", LEFT + (WIDTH - LEFT - RIGHT) / 2 - 40, HEIGHT - 18);
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", file.toFile());
  }

  private static Stroke dashed() {
    return new BasicStroke(
        1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  private static int legend(Graphics2D g, String text, Color color, Stroke stroke, int y) {
    int x = WIDTH - RIGHT + 15;
    g.setColor(color);
    g.setStroke(stroke);
    g.drawLine(x, y - 4, x + 28, y - 4);
    g.setStroke(new BasicStroke(1f));
    g.setColor(Color.BLACK);
    g.drawString(text, x + 34, y);
    return y + 18;
  }

  private static double niceCeiling(double v) {
    double[] steps = {1, 2, 2.5, 5, 10};
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double s : steps) {
      if (s * magnitude >= v) {
        return s * magnitude;
      }
    }
    return 10 * magnitude;
  }

  /** One plot area with its own y scale. */
  private record Panel(int top, int bottom, int seconds, double maxY, String unit) {

    int x(double second) {
      return LEFT + (int) Math.round(second * (WIDTH - LEFT - RIGHT) / seconds);
    }

    int y(double value) {
      return bottom - (int) Math.round(value * (bottom - top) / maxY);
    }

    void axes(Graphics2D g) {
      g.setStroke(new BasicStroke(1f));
      for (int i = 0; i <= 5; i++) {
        double v = maxY * i / 5;
        int yy = y(v);
        g.setColor(new Color(230, 230, 230));
        g.drawLine(LEFT, yy, WIDTH - RIGHT, yy);
        g.setColor(Color.DARK_GRAY);
        String label =
            v == Math.rint(v)
                ? String.valueOf((long) v)
                : String.format(java.util.Locale.ROOT, "%.1f", v);
        g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), yy + 4);
      }
      int minutes = seconds / 60;
      int every = minutes <= 40 ? 5 : 10;
      for (int m = 0; m <= minutes; m += every) {
        int xx = x(m * 60.0);
        g.setColor(new Color(230, 230, 230));
        g.drawLine(xx, top, xx, bottom);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.valueOf(m), xx - 4, bottom + 15);
      }
      g.drawRect(LEFT, top, WIDTH - LEFT - RIGHT, bottom - top);
      g.drawString(unit, LEFT, top - 6);
    }

    void line(
        Graphics2D g, SimulationRun run, ToDoubleFunction<Sample> f, Color color, Stroke stroke) {
      Path2D.Double path = new Path2D.Double();
      boolean started = false;
      for (Sample s : run.samples()) {
        double xx = x(s.second());
        double yy = y(Math.min(maxY, f.applyAsDouble(s)));
        if (!started) {
          path.moveTo(xx, yy);
          started = true;
        } else {
          path.lineTo(xx, yy);
        }
      }
      g.setColor(color);
      g.setStroke(stroke);
      g.draw(path);
      g.setStroke(new BasicStroke(1f));
    }
  }
}
