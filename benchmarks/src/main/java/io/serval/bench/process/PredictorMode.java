package io.serval.bench.process;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One predictor configuration of a run, as {@code --batching} names it: {@code off} or {@code on},
 * optionally followed by {@code :WxT} (workers x intra-op threads), {@code :bN} (max batch size),
 * {@code :dDELAY} (max queue delay) and {@code :pN/M} (preferred batch sizes), e.g. {@code
 * on:1x2:b64}. Whatever a label leaves out comes from the run's defaults ({@code --workers}, {@code
 * --threads-per-worker}, {@code --max-batch-size}, {@code --max-queue-delay}), so that one run can
 * interleave several configurations and compare each with the others on the same load.
 *
 * @param label as given; it is the {@code batching} column of the table
 * @param preferredBatchSizes as the predictor reads it ({@code 16,32}), empty for none
 */
public record PredictorMode(
    String label,
    boolean on,
    int workers,
    int threadsPerWorker,
    int maxBatchSize,
    String maxQueueDelay,
    String preferredBatchSizes) {

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
    String preferred = "";
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      try {
        if (p.matches("\\d+x\\d+")) {
          String[] wt = p.split("x");
          workers = Integer.parseInt(wt[0]);
          threadsPerWorker = Integer.parseInt(wt[1]);
        } else if (p.matches("b\\d+")) {
          maxBatchSize = Integer.parseInt(p.substring(1));
        } else if (p.matches("d\\d+(ms|us|s)")) {
          maxQueueDelay = p.substring(1);
        } else if (p.matches("p\\d+(/\\d+)*")) {
          preferred = p.substring(1).replace('/', ',');
        } else {
          throw invalid(label, "has an unknown part '" + p + "' (WxT, bN, dDELAY or pN/M)");
        }
      } catch (NumberFormatException e) {
        throw invalid(label, "has a number out of range in '" + p + "'");
      }
    }
    if (workers < 1 || threadsPerWorker < 1 || maxBatchSize < 1) {
      throw invalid(label, "needs workers, threads and batch size >= 1");
    }
    if (!on && !preferred.isEmpty()) {
      throw invalid(label, "sets preferred batch sizes with batching off");
    }
    return new PredictorMode(
        label, on, workers, threadsPerWorker, maxBatchSize, maxQueueDelay, preferred);
  }

  /** The predictor's {@code serval.predictor.*} settings for this mode (without the model). */
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("workers", Integer.toString(workers));
    s.put("threads-per-worker", Integer.toString(threadsPerWorker));
    s.put("batching.max-batch-size", on ? Integer.toString(maxBatchSize) : "1");
    s.put("batching.max-queue-delay", maxQueueDelay);
    if (!preferredBatchSizes.isEmpty()) {
      s.put("batching.preferred-batch-sizes", preferredBatchSizes);
    }
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
