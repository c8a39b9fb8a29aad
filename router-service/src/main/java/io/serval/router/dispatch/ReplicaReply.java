package io.serval.router.dispatch;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Notes whether a replica sent anything back (headers or trailers) on one forwarded attempt. A
 * status the replica sent itself always arrives in headers or trailers; a failure with neither was
 * made by the router's own transport when the connection failed.
 */
final class ReplicaReply extends ClientStreamTracer.Factory {
  private volatile boolean heard;

  /** True once the replica sent headers or trailers on this attempt. */
  boolean heard() {
    return heard;
  }

  @Override
  public ClientStreamTracer newClientStreamTracer(
      ClientStreamTracer.StreamInfo info, Metadata headers) {
    return new ClientStreamTracer() {
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
