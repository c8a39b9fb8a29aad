package io.serval.predictor.batching;

/** The batcher refused a request at once because its queue is full or it is closed. */
public final class QueueFullException extends RuntimeException {
  private final boolean closed;

  QueueFullException(String message, boolean closed) {
    super(message, null, false, false);
    this.closed = closed;
  }

  /** True when the refusal is due to shutdown rather than load. */
  public boolean closed() {
    return closed;
  }
}
