package io.serval.predictor.model;

/** The model could not be fetched, verified or loaded; the predictor cannot start. */
public final class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
