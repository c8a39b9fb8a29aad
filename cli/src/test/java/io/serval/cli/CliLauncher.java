package io.serval.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Runs the CLI in the test's JVM as {@link ServalMain} does (same command tree, same exception
 * handler), with standard output and error captured: both picocli's writers and {@code
 * System.out}/{@code System.err}, since some commands print to the latter.
 */
public final class CliLauncher {

  /** Runs {@code serval ARGS} and returns its exit code and what it printed. */
  public LaunchResult launch(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8);
    System.setOut(capturedOut);
    System.setErr(capturedErr);
    int exitCode;
    try {
      CommandLine cl = ServalMain.commandLine();
      cl.setOut(new PrintWriter(capturedOut, true));
      cl.setErr(new PrintWriter(capturedErr, true));
      exitCode = cl.execute(args);
      cl.getOut().flush();
      cl.getErr().flush();
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new LaunchResult(exitCode, lines(out), lines(err));
  }

  /** Lines joined by \n without a trailing newline, as a terminal shows them. */
  private static String lines(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8).lines().collect(Collectors.joining("\n"));
  }
}
