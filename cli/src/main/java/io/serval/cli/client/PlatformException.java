package io.serval.cli.client;

import io.serval.cli.exit.CliException;
import java.util.List;

/** The platform answered with an error: its HTTP status, message and, for specs, each problem. */
public class PlatformException extends CliException {

  private final int status;
  private final List<String> problems;

  public PlatformException(int exitCode, int status, String message, List<String> problems) {
    super(exitCode, message);
    this.status = status;
    this.problems = List.copyOf(problems);
  }

  public int status() {
    return status;
  }

  public List<String> problems() {
    return problems;
  }
}
