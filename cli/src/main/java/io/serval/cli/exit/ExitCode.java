package io.serval.cli.exit;

/** The CLI's exit codes; docs/cli.md lists them, scripts depend on them. */
public final class ExitCode {

  private ExitCode() {}

  public static final int OK = 0;

  /** The operation ran and failed: a rollout rolled back, the platform would not start. */
  public static final int FAILED = 1;

  /** Bad command line or unreadable input file (picocli's own code for usage errors). */
  public static final int USAGE = 2;

  /** The platform (management API, router or autoscaler) cannot be reached. */
  public static final int UNREACHABLE = 3;

  /** The management API refused the token (missing or wrong). */
  public static final int UNAUTHORIZED = 4;

  /** No API or traffic splitter with that name. */
  public static final int NOT_FOUND = 5;

  /** The platform refused the request: an invalid spec (400) or a conflict (409). */
  public static final int REJECTED = 6;

  /** A wait (rollout, readiness) ran past its deadline. */
  public static final int TIMED_OUT = 7;

  /** A batch job ran through, and some of its items failed (they are in its failures file). */
  public static final int ITEMS_FAILED = 8;
}
