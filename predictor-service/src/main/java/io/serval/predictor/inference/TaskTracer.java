package io.serval.predictor.inference;

/**
 * Opens the trace of one request in the engine (its wait in the batcher, then the model call of its
 * batch). {@link #NONE} when tracing is off: nothing is recorded and nothing allocated per request.
 */
public interface TaskTracer {

  /** Called on the thread that queues the request, so that its trace continues the caller's. */
  TaskTrace queued();

  TaskTracer NONE = () -> TaskTrace.NONE;

  /** One request's trace; {@link #ran} is called once, on the worker that ran its batch. */
  interface TaskTrace {
    /**
     * @param enqueuedNanos when the request was queued (System.nanoTime)
     * @param startNanos when its batch started running on ONNX Runtime
     * @param endNanos when that call returned
     * @param batchSize requests in the batch
     * @param batchRows their dimension 0, summed
     * @param failure why the call failed, or null
     */
    void ran(
        long enqueuedNanos,
        long startNanos,
        long endNanos,
        int batchSize,
        int batchRows,
        Throwable failure);

    TaskTrace NONE = (enqueued, start, end, size, rows, failure) -> {};
  }
}
