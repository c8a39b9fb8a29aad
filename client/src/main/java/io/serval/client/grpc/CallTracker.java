package io.serval.client.grpc;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Notes, for one attempt, whether its HEADERS frame reached the connection and whether the server
 * sent anything back (headers or trailers), as the router does for its own attempts on replicas. A
 * status the router sent itself always arrives in headers or trailers; a failure with neither was
 * made by this machine's transport. grpc-java's Netty transport reports {@link #outboundHeaders()}
 * only after the HEADERS write succeeded, so without it the router never saw the request.
 */
final class CallTracker extends ClientStreamTracer.Factory {
  private volatile boolean heard;
  private volatile boolean headersSent;

  boolean heard() {
    return heard;
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
