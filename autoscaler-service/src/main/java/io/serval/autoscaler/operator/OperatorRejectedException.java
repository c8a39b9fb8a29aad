package io.serval.autoscaler.operator;

/** The operator answered and refused the call (unknown API, bad value); retrying will not help. */
public final class OperatorRejectedException extends RuntimeException {

  public OperatorRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
