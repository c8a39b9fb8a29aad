package io.serval.predictor.metrics;

import io.serval.v2.V2Exception;

/**
 * The front end a request came in on. It decides the {@code code} label: the HTTP status for REST,
 * the gRPC code name for gRPC, what the client saw (the same scheme as the router's).
 */
public enum Protocol {
  REST("rest"),
  GRPC("grpc");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  /** The value of the {@code protocol} label. */
  public String label() {
    return label;
  }

  /**
   * @param failure the failure kind, or null for success
   */
  public String code(V2Exception.Kind failure) {
    if (this == REST) {
      return failure == null ? "200" : Integer.toString(failure.httpStatus());
    }
    return failure == null ? "OK" : failure.grpcCode().name();
  }
}
