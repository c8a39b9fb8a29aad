package io.serval.autoscaler.operator;

/** The operator could not be reached or did not answer in time; worth retrying. */
public final class OperatorUnavailableException extends RuntimeException {

  public OperatorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
