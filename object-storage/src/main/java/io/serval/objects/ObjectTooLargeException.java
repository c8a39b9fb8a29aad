package io.serval.objects;

/** The object is larger than the limit the caller read it with. */
public final class ObjectTooLargeException extends ObjectStorageException {

  private final long limit;

  public ObjectTooLargeException(String message, long limit) {
    super(message, null);
    this.limit = limit;
  }

  /** The limit, in bytes, that was passed. */
  public long limit() {
    return limit;
  }
}
