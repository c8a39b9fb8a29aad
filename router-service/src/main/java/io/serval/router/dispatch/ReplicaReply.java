package io.serval.router.dispatch;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Notes, for one forwarded attempt, whether its HEADERS frame reached the connection and whether
 * the replica sent anything back (headers or trailers). A status the replica sent itself always
 * arrives in headers or trailers; a failure with neither was made by the router's own transport.
 * grpc-java's Netty transport reports {@link #outboundHeaders()} only after the HEADERS write
 * succeeded, so without it the replica never saw the request.
 */
final class ReplicaReply extends ClientStreamTracer.Factory {
  private volatile boolean heard;
  private volatile boolean headersSent;

  /** True once the replica sent headers or trailers on this attempt. */
  boolean heard() {
    return heard;
  }

  /** True once the request's HEADERS frame was written to the connection. */
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
        heard = true;
      }

      @Override
      public void inboundHeaders(Metadata headers) {
        heard = true;
      }

      @Override
      public void inboundTrailers(Metadata trailers) {
        heard = true;
      }
    };
  }
}
