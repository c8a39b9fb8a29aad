package io.serval.specrules;

/**
 * One thing wrong in a spec: the field, by its path in the resource ({@code
 * spec.autoscaling.panic.threshold}), and what is allowed there ({@code must be > 1, got 0.5}).
 */
public record SpecProblem(String path, String message) {

  /** As the operator and the autoscaler print it: "{path}: {message}". */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
