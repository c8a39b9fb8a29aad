package io.serval.cli;

/** What one run of the CLI ended with: its exit code, standard output and standard error. */
public record LaunchResult(int exitCode, String output, String errorOutput) {

  public String getOutput() {
    return output;
  }

  public String getErrorOutput() {
    return errorOutput;
  }
}
