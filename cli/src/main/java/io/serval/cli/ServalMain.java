package io.serval.cli;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import picocli.CommandLine;

/**
 * The {@code serval} executable: plain picocli on a fresh JVM, with nothing else to start (no DI
 * runtime), so that a command answers in a fraction of a second.
 */
public final class ServalMain {

  private ServalMain() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command tree, with {@link CliException}s turned into a one-line message and their exit code
   * instead of a trace.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new ServalCommand())
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              commandLine.getOut().flush();
              if (e instanceof CliException ce) {
                commandLine.getErr().println("serval: " + ce.getMessage());
                commandLine.getErr().flush();
                return ce.exitCode();
              }
              commandLine.getErr().println("serval: unexpected error: " + e);
              commandLine.getErr().flush();
              return ExitCode.FAILED;
            });
  }
}
