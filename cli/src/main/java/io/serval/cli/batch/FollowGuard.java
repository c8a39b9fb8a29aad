package io.serval.cli.batch;

import java.io.PrintStream;

/**
 * While a job is followed, a Ctrl-C (or any other end of the JVM) leaves the job running on the
 * router, and says so with the command that follows it again: a shutdown hook, removed when the
 * following ends on its own.
 */
public final class FollowGuard implements AutoCloseable {

  private final Thread hook;

  private FollowGuard(Thread hook) {
    this.hook = hook;
  }

  /** The message a stopped follow prints. */
  public static String message(String id) {
    return "serval: stopped following job "
        + id
        + "; it keeps running on the router. Follow it again with: serval batch get "
        + id
        + " --wait (then serval batch results "
        + id
        + ")";
  }

  /**
   * Installs the hook: it writes to err (System.err: the CLI's writers may be gone by then), on a
   * line of its own below the progress line.
   */
  public static FollowGuard install(String id, PrintStream err) {
    Thread hook =
        new Thread(
            () -> {
              err.println();
              err.println(message(id));
              err.flush();
            },
            "serval-batch-reattach-hint");
    Runtime.getRuntime().addShutdownHook(hook);
    return new FollowGuard(hook);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already ending: the hook runs, as it should
    }
  }
}
