package io.serval.objects;

/**
 * The server refused the credentials or their rights on the object (wrong key or secret, missing
 * permission): a 403, not a reason to retry.
 */
public final class ObjectAccessDeniedException extends ObjectStorageException {

  public ObjectAccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
