package io.serval.predictor.inference;

/**
 * How the warm-up went. A failed or skipped warm-up does not keep the model from serving: only the
 * first requests pay for lazy initialisation.
 *
 * @param source {@link #SAMPLE} (the user's warm-up request), {@link #SYNTHETIC}, or {@link #NONE}
 *     (warm-up turned off)
 * @param outcome {@link #OK}, {@link #FAILED} (the model refused or failed the input) or {@link
 *     #SKIPPED} (off, or the sample does not fit the model)
 * @param message what failed, empty when it went well
 */
public record WarmupResult(String source, String outcome, String message) {
  public static final String SAMPLE = "sample";
  public static final String SYNTHETIC = "synthetic";
  public static final String NONE = "none";
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  static final WarmupResult OFF = new WarmupResult(NONE, SKIPPED, "warm-up is off");

  public boolean ok() {
    return OK.equals(outcome);
  }
}
