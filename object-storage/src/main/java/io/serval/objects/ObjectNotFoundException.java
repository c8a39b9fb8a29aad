package io.serval.objects;

/** No such bucket, key or file: the caller named something that is not there (a 4xx). */
public final class ObjectNotFoundException extends ObjectStorageException {

  public ObjectNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
