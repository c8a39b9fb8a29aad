package io.serval.it.load;

/**
 * One request's result.
 *
 * @param startNanos System.nanoTime() when it was sent
 * @param status HTTP status ("200", "503") or gRPC code name ("OK", "RESOURCE_EXHAUSTED"); "IO"
 *     when the client got no answer at all
 * @param revision the serval-revision header or trailer ("api/revision"), or null
 * @param message the error message, or null on success
 */
public record Outcome(
    long startNanos,
    long latencyNanos,
    String status,
    boolean ok,
    String revision,
    String message) {

  public double latencyMillis() {
    return latencyNanos / 1e6;
  }

  /** The API part of the revision ("api" of "api/revision"), or null. */
  public String api() {
    return revision == null ? null : revision.substring(0, revision.indexOf('/'));
  }
}
