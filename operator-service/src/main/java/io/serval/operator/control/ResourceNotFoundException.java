package io.serval.operator.control;

/** No API or splitter by that name. */
public final class ResourceNotFoundException extends RuntimeException {
  public ResourceNotFoundException(String message) {
    super(message);
  }
}
