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

  InferListener IGNORE =
      new InferListener() {
        @Override
        public void onResponse(byte[] response, String servedBy) {}

        @Override
        public void onError(Status status, String servedBy) {}
      };
}
