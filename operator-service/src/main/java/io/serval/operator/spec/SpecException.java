package io.serval.operator.spec;

import java.util.List;

/** A spec was refused; carries every problem found, not only the first. */
public final class SpecException extends RuntimeException {

  private final List<String> problems;

  public SpecException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public SpecException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
