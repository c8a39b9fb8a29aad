package io.serval.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Turns {@link CliException}s into a one-line message and their exit code instead of a trace. */
@ApplicationScoped
public class CliConfiguration {

  @Produces
  CommandLine commandLine(PicocliCommandLineFactory factory) {
    return configure(factory.create());
  }

  static CommandLine configure(CommandLine cl) {
    return cl.setExecutionExceptionHandler(
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
