package io.serval.objects;

import java.io.IOException;

/**
 * A read or write of an object that failed; the subclass says why, so a service can answer with the
 * right status. The message names the object (never a credential) and the cause.
 */
public abstract sealed class ObjectStorageException extends IOException
    permits ObjectNotFoundException,
        ObjectAccessDeniedException,
        ObjectStorageUnavailableException,
        ObjectTooLargeException,
        ObjectRequestInvalidException {

  protected ObjectStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
