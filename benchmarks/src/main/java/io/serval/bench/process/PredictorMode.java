package io.serval.bench.process;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One predictor configuration of a run, as {@code --batching} names it: {@code off} or {@code on},
 * optionally followed by {@code :WxT} (workers x intra-op threads), {@code :bN} (max batch size),
 * {@code :dDELAY} (max queue delay) and {@code :base} (run the {@code --baseline-predictor-jar}
 * build instead), e.g. {@code on:1x2:b64}. Whatever a label leaves out comes from the run's
 * defaults ({@code --workers}, {@code --threads-per-worker}, {@code --max-batch-size}, {@code
 * --max-queue-delay}), so that one run can interleave several configurations and compare each with
 * the others on the same load.
 *
 * @param label as given; it is the {@code batching} column of the table
 * @param baseline run the baseline build of the predictor (a before/after comparison in one run)
 */
public record PredictorMode(
    String label,
    boolean on,
    int workers,
    int threadsPerWorker,
    int maxBatchSize,
    String maxQueueDelay,
    boolean baseline) {

  /**
   * @throws IllegalArgumentException naming the label and what is wrong with it
   */
  public static PredictorMode parse(
      String label, int workers, int threadsPerWorker, int maxBatchSize, String maxQueueDelay) {
    String[] parts = label.split(":", -1);
    boolean on =
        switch (parts[0]) {
          case "on" -> true;
          case "off" -> false;
          default -> throw invalid(label, "starts with on or off");
        };
    boolean baseline = false;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      try {
        if (p.matches("\\d+x\\d+")) {
          String[] wt = p.split("x");
          workers = Integer.parseInt(wt[0]);
          threadsPerWorker = Integer.parseInt(wt[1]);
        } else if (p.matches("b\\d+")) {
          maxBatchSize = Integer.parseInt(p.substring(1));
        } else if (p.matches("d\\d+(ms|s)")) {
          maxQueueDelay = p.substring(1);
        } else if (p.equals("base")) {
          baseline = true;
        } else {
          throw invalid(label, "has an unknown part '" + p + "' (WxT, bN, dDELAY or base)");
        }
      } catch (NumberFormatException e) {
        throw invalid(label, "has a number out of range in '" + p + "'");
      }
    }
    if (workers < 1 || threadsPerWorker < 1 || maxBatchSize < 1) {
      throw invalid(label, "needs workers, threads and batch size >= 1");
    }
    return new PredictorMode(
        label, on, workers, threadsPerWorker, maxBatchSize, maxQueueDelay, baseline);
  }

  /** The predictor's {@code serval.predictor.*} settings for this mode (without the model). */
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("workers", Integer.toString(workers));
    s.put("threads-per-worker", Integer.toString(threadsPerWorker));
    s.put("batching.max-batch-size", on ? Integer.toString(maxBatchSize) : "1");
    s.put("batching.max-queue-delay", maxQueueDelay);
    return s;
  }

  /** A name safe in a file name. */
  public String fileName() {
    return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static IllegalArgumentException invalid(String label, String why) {
    return new IllegalArgumentException("--batching '" + label + "' " + why);
  }
}
