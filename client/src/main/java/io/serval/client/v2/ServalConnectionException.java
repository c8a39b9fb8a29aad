package io.serval.client.v2;

/**
 * The connection could not be opened (refused, unreachable) on every attempt allowed, or broke
 * after the request was sent (then it was not retried).
 */
public class ServalConnectionException extends ServalException {
  public ServalConnectionException(String message, int attempts, Throwable cause) {
    super(-1, null, message, attempts, cause);
  }
}
