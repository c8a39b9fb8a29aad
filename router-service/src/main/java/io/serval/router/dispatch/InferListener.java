package io.serval.router.dispatch;

import io.grpc.Status;

/** How a dispatched request ends; called exactly once, from any thread, never blocking. */
public interface InferListener {
  /**
   * @param response the serialized ModelInferResponse, model_name set to the name the client used
   * @param servedBy {@code api/revision}
   */
  void onResponse(byte[] response, String servedBy);

  /**
   * @param servedBy {@code api/revision} when a revision had been chosen, else null
   */
  void onError(Status status, String servedBy);

  /** The front end the request came in on, for metrics; gRPC unless a front end says otherwise. */
  default Protocol protocol() {
    return Protocol.GRPC;
  }

  InferListener IGNORE = ignoring(Protocol.GRPC);

  /**
   * A listener nobody waits on (a mirrored copy), counted under the protocol of the request it
   * copies.
   */
  static InferListener ignoring(Protocol protocol) {
    return new InferListener() {
      @Override
      public void onResponse(byte[] response, String servedBy) {}

      @Override
      public void onError(Status status, String servedBy) {}

      @Override
      public Protocol protocol() {
        return protocol;
      }
    };
  }
}
