package io.serval.autoscaler.scaling;

import java.util.List;

/** An autoscaling spec that the policy cannot use; the message names every bad field. */
public final class InvalidSpecException extends IllegalArgumentException {

  private final List<String> problems;

  public InvalidSpecException(List<String> problems) {
    super("invalid autoscaling spec: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
