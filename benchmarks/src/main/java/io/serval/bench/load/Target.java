package io.serval.bench.load;

import java.util.concurrent.CompletableFuture;

/** One way of sending a request to a model (in-process, gRPC or REST). */
public interface Target extends AutoCloseable {

  /**
   * Sends one request; the future completes when the whole response has been received, and
   * completes exceptionally on any failure (transport error, non-OK status).
   */
  CompletableFuture<?> call();

  @Override
  void close();
}
