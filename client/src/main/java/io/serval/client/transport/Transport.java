package io.serval.client.transport;

import io.serval.client.retry.Outcome;
import io.serval.client.v2.InferRequest;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.ModelMetadata;
import java.time.Duration;

/**
 * One attempt of a V2 call on the wire (REST or gRPC). Each method sends the request once, within
 * {@code budget}, which it also sends to the router as the request's deadline, and reads how it
 * ended: only a transport knows whether its request left the machine.
 */
public interface Transport extends AutoCloseable {

  /** The {@code attempts} of the answer are 1: the caller counts them. */
  Outcome<InferResult> infer(String model, InferRequest request, Duration budget);

  Outcome<ModelMetadata> metadata(String model, Duration budget);

  /** Answered true when ready, false when the router says not (HTTP 200 with false, gRPC). */
  Outcome<Boolean> ready(String model, Duration budget);

  /** Where the transport connects, for messages. */
  String target();

  @Override
  void close();
}
