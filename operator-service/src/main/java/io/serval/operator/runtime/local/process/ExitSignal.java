package io.serval.operator.runtime.local.process;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names how a replica process died, for its API's status. A process killed by signal n exits with
 * code 128 + n (Java's Process reports it so). A JVM whose native code faults (ONNX Runtime's
 * integer division by zero raises SIGFPE) does not die of that signal: its fatal-error handler
 * writes "# SIGFPE (0x8) at pc=..." to the replica's output and aborts (exit 134, SIGABRT), so the
 * signal that really killed it is read from the replica's log.
 */
public final class ExitSignal {

  /** Linux signal numbers 1..31 (x86-64, arm64), index = number. */
  private static final String[] NAMES = {
    null,
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS"
  };

  /** HotSpot's fatal error report: "# SIGFPE (0x8) at pc=0x00007f..., pid=..., tid=...". */
  private static final Pattern JVM_FATAL =
      Pattern.compile("^#\\s+(SIG[A-Z0-9]+) \\(0x[0-9a-fA-F]+\\) at pc=");

  /**
   * The line a predictor writes when its model cannot be fetched or loaded (its PredictorRuntime;
   * the two services share no code, so the text is the contract), followed by the reason.
   */
  static final String MODEL_LOAD_FAILED = "Model load failed: ";

  private ExitSignal() {}

  /** Why the predictor could not load its model, from its last such line, if any. */
  public static Optional<String> modelLoadFailure(List<String> logLines) {
    String found = null;
    for (String line : logLines) {
      int at = line.indexOf(MODEL_LOAD_FAILED);
      if (at >= 0) {
        found = line.substring(at + MODEL_LOAD_FAILED.length()).strip();
      }
    }
    return Optional.ofNullable(found).filter(f -> !f.isEmpty());
  }

  /** The signal an exit code of 128 + n stands for, if n is a known signal. */
  public static Optional<String> fromExitCode(int exitCode) {
    int n = exitCode - 128;
    return n >= 1 && n < NAMES.length ? Optional.of(NAMES[n]) : Optional.empty();
  }

  /** The signal named by the last JVM fatal-error report in the replica's output, if any. */
  public static Optional<String> fromJvmReport(List<String> logLines) {
    String found = null;
    for (String line : logLines) {
      Matcher m = JVM_FATAL.matcher(line);
      if (m.find()) {
        found = m.group(1);
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * "died of SIGFPE (exit 134)", "died of SIGKILL (exit 137)", "could not load its model: could not
   * fetch model from s3://... (exit 1)", "exited with code 3", or "exited" when the code is unknown
   * (a re-adopted process, whose exit code only its parent could read).
   *
   * @param logLines the end of the replica's output, read after it died
   */
  public static String describe(Optional<Integer> exitCode, List<String> logLines) {
    Optional<String> signal =
        fromJvmReport(logLines).or(() -> exitCode.flatMap(ExitSignal::fromExitCode));
    if (signal.isPresent()) {
      return "died of " + signal.get() + exitCode.map(c -> " (exit " + c + ")").orElse("");
    }
    // A model that cannot be fetched (no such S3 key, access denied) is the user's to fix: say
    // what the predictor said, not only its exit code.
    Optional<String> loadFailure = modelLoadFailure(logLines);
    if (loadFailure.isPresent()) {
      return "could not load its model: "
          + loadFailure.get()
          + exitCode.map(c -> " (exit " + c + ")").orElse("");
    }
    return exitCode.map(c -> "exited with code " + c).orElse("exited");
  }
}
