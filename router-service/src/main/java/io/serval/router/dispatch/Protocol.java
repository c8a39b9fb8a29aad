package io.serval.router.dispatch;

/**
 * Which front end a request came in on: metrics label REST answers with their HTTP status and gRPC
 * answers with their gRPC code, as each client saw them.
 */
public enum Protocol {
  REST("rest"),
  GRPC("grpc"),
  /** Async requests (issue 14), run by the router's async pump; labelled with HTTP statuses. */
  ASYNC("async"),
  /** Batch job items (issue 14), run by the router's job runner; labelled with HTTP statuses. */
  BATCH("batch");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  /** The value of the {@code protocol} metrics label. */
  public String label() {
    return label;
  }
}
