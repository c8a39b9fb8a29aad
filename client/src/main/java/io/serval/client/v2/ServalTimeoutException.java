package io.serval.client.v2;

/**
 * The attempt's timeout or the call's deadline passed before an answer came. Never retried once the
 * request was sent: the router may be running it.
 */
public class ServalTimeoutException extends ServalException {
  public ServalTimeoutException(String message, int attempts, Throwable cause) {
    super(-1, null, message, attempts, cause);
  }
}
