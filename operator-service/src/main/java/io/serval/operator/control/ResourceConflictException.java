package io.serval.operator.control;

/** The call conflicts with what is deployed (e.g. deleting an API a splitter uses). */
public final class ResourceConflictException extends RuntimeException {
  public ResourceConflictException(String message) {
    super(message);
  }
}
