package io.serval.predictor.model;

import io.serval.security.UriRedaction;

/**
 * The model could not be fetched, verified or loaded; the predictor cannot start. The message names
 * the model URI with its credentials (user-info, signed query values) hidden, since it reaches the
 * replica's log and, through it, the operator's views.
 */
public final class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(UriRedaction.redactIn(message));
  }

  public ModelLoadException(String message, Throwable cause) {
    super(UriRedaction.redactIn(message), cause);
  }
}
