package io.serval.client.retry;

import io.serval.client.v2.ServalConnectionException;
import io.serval.client.v2.ServalException;
import io.serval.client.v2.ServalTimeoutException;

/**
 * What went wrong with one attempt, before it is known how many attempts the call took.
 *
 * @param status the HTTP status (on gRPC, the contract's HTTP status of the code), -1 for none
 * @param grpcCode the gRPC code's name on gRPC, else null
 */
public record Failure(Kind kind, int status, String grpcCode, String message, Throwable cause) {

  /** Which exception the caller gets. */
  public enum Kind {
    /** The router answered with an error. */
    ANSWERED,
    /** No answer in time. */
    TIMEOUT,
    /** No connection, or it broke. */
    CONNECTION
  }

  public static Failure answered(int status, String grpcCode, String message) {
    return new Failure(Kind.ANSWERED, status, grpcCode, message, null);
  }

  public static Failure timeout(String message, Throwable cause) {
    return new Failure(Kind.TIMEOUT, -1, null, message, cause);
  }

  public static Failure connection(String message, Throwable cause) {
    return new Failure(Kind.CONNECTION, -1, null, message, cause);
  }

  /** The exception the caller gets after {@code attempts} attempts. */
  public ServalException toException(int attempts) {
    return switch (kind) {
      case ANSWERED -> new ServalException(status, grpcCode, message, attempts, cause);
      case TIMEOUT -> new ServalTimeoutException(message, attempts, cause);
      case CONNECTION -> new ServalConnectionException(message, attempts, cause);
    };
  }
}
