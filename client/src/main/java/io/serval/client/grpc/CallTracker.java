package io.serval.client.grpc;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Notes, for one attempt, whether its HEADERS frame reached the connection and what the server sent
 * back, as the router does for its own attempts on replicas. A status the router sent itself
 * arrives in trailers; a failure without them was made by this machine's transport (a reset, an
 * answer over the size limit). The router refuses a request (queue full, no ready replica) with a
 * trailers-only answer, before it sends any headers. grpc-java's Netty transport reports {@link
 * #outboundHeaders()} only after the HEADERS write succeeded, so without it the router never saw
 * the request.
 */
final class CallTracker extends ClientStreamTracer.Factory {
  private volatile boolean headersHeard;
  private volatile boolean trailersHeard;
  private volatile boolean headersSent;

  /** The server sent response headers: it began an answer. */
  boolean headersHeard() {
    return headersHeard;
  }

  /** The server sent trailers: the status is its own. */
  boolean trailersHeard() {
    return trailersHeard;
  }

  boolean headersSent() {
    return headersSent;
  }

  @Override
  public ClientStreamTracer newClientStreamTracer(
      ClientStreamTracer.StreamInfo info, Metadata headers) {
    return new ClientStreamTracer() {
      @Override
      public void outboundHeaders() {
        headersSent = true;
      }

      @Override
      public void inboundHeaders() {
        headersHeard = true;
      }

      @Override
      public void inboundHeaders(Metadata headers) {
        headersHeard = true;
      }

      @Override
      public void inboundTrailers(Metadata trailers) {
        trailersHeard = true;
      }
    };
  }
}
