package io.serval.store;

/** The store could not be read or written (database unreachable, disk full, ...). */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
