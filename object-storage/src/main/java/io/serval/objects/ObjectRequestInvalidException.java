package io.serval.objects;

/**
 * The storage rejected the request as malformed for it (an invalid bucket name, a bucket in another
 * region than an endpoint allows, a key that is a directory): a 400, fixed by changing the URI or
 * the settings, not by retrying.
 */
public final class ObjectRequestInvalidException extends ObjectStorageException {

  public ObjectRequestInvalidException(String message, Throwable cause) {
    super(message, cause);
  }
}
