package io.serval.objects;

/**
 * The storage could not be reached or failed on its side (connection refused, timeout, a 5xx, a
 * local I/O error): a 503, worth retrying later.
 */
public final class ObjectStorageUnavailableException extends ObjectStorageException {

  public ObjectStorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
