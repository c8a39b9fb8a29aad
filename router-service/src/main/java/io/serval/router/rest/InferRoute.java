package io.serval.router.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.router.config.RouterConfig;
import io.serval.router.dispatch.InferListener;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.queue.Ticker;
import io.serval.router.routing.RouteTableHolder;
import io.serval.v2.EncodedBody;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.RestInferResponseEncoder;
import io.serval.v2.V2Exception;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * {@code POST /v2/models/{name}[/versions/{version}]/infer}: decodes the body (JSON or the binary
 * tensor extension) into a ModelInferRequest, hands it to the dispatcher, and encodes the answer in
 * the form the request came in.
 *
 * <p>A plain Vert.x route, not a JAX-RS method like the rest of the V2 API: this is the path every
 * prediction takes, and the JAX-RS machinery around it (handler chain, Uni adaptation, context
 * propagation, per-request writer lookup) cost more CPU than the router's own work on it (profile
 * in docs/benchmarks.md). The Quarkus filters (access control, body size) apply as to every route.
 * Everything runs on the event loop; nothing blocks.
 */
@Singleton
public class InferRoute {
  private static final Logger LOG = Logger.getLogger(InferRoute.class);

  private final InferenceDispatcher dispatcher;
  private final RouteTableHolder routes;
  private final long maxBodyBytes;
  private final Ticker ticker = Ticker.system();

  public InferRoute(InferenceDispatcher dispatcher, RouteTableHolder routes, RouterConfig config) {
    this.dispatcher = dispatcher;
    this.routes = routes;
    this.maxBodyBytes = config.maxMessageSize().asLongValue();
  }

  void register(@Observes Router router) {
    router.post("/v2/models/:name/infer").handler(rc -> handle(rc, rc.pathParam("name"), null));
    router
        .post("/v2/models/:name/versions/:version/infer")
        .handler(rc -> handle(rc, rc.pathParam("name"), rc.pathParam("version")));
  }

  private void handle(RoutingContext rc, String name, String version) {
    HttpServerRequest request = rc.request();
    BodyCollector body = new BodyCollector(request, maxBodyBytes);
    request.handler(body::append);
    request.exceptionHandler(e -> LOG.debugf("reading a request body failed: %s", e.toString()));
    request.endHandler(
        v -> {
          if (body.tooLarge()) {
            reply(
                rc.response().putHeader("Connection", "close"),
                BodySizeGuard.tooLarge(body.size(), maxBodyBytes),
                null);
          } else {
            infer(rc, name, version, body.bytes());
          }
        });
    request.resume();
  }

  private void infer(RoutingContext rc, String name, String version, byte[] body) {
    HttpServerRequest http = rc.request();
    ModelInferRequest request;
    long deadline;
    try {
      if (!routes.current().knows(name)) {
        throw V2Resource.notFound(name);
      }
      String timeout = http.getHeader(TimeoutHeader.NAME);
      deadline =
          timeout == null
              ? Long.MAX_VALUE
              : ticker.nanos() + TimeoutHeader.parse(timeout).toNanos();
      request =
          RestInferRequestDecoder.decode(
              name,
              version,
              body,
              V2Resource.headerLength(http.getHeader(EncodedBody.HEADER_LENGTH_HEADER)));
    } catch (V2Exception e) {
      reply(rc.response(), e, null);
      return;
    } catch (RuntimeException e) {
      LOG.warnf(e, "decoding a request to '%s' failed", name);
      reply(rc.response(), V2Exception.internal("the request could not be decoded: " + e), null);
      return;
    }
    HttpServerResponse response = rc.response();
    // The connection closes before the answer when the client goes away: the request is then
    // cancelled wherever it is (queued, or in flight at a replica). Set before submitting, which
    // may answer (and end the response) at once.
    InferenceDispatcher.Handle[] handle = {InferenceDispatcher.Handle.NONE};
    response.closeHandler(v -> handle[0].cancel());
    handle[0] =
        dispatcher.submit(
            name,
            request.toByteArray(),
            deadline,
            new InferListener() {
              @Override
              public void onResponse(byte[] answer, String servedBy) {
                replyOk(response, answer, request, servedBy);
              }

              @Override
              public void onError(Status status, String servedBy) {
                reply(response, V2Exception.fromStatus(status), servedBy);
              }
            });
  }

  private static void replyOk(
      HttpServerResponse response, byte[] answer, ModelInferRequest request, String servedBy) {
    EncodedBody encoded;
    try {
      encoded = RestInferResponseEncoder.encode(ModelInferResponse.parseFrom(answer), request);
    } catch (InvalidProtocolBufferException e) {
      reply(
          response,
          V2Exception.internal("the replica sent a malformed response: " + e.getMessage()),
          servedBy);
      return;
    } catch (V2Exception e) {
      reply(response, e, servedBy);
      return;
    }
    if (response.ended() || response.closed()) {
      return;
    }
    response.putHeader("Content-Type", encoded.contentType());
    response.putHeader(V2Responses.REVISION_HEADER, servedBy);
    encoded
        .inferenceHeaderContentLength()
        .ifPresent(n -> response.putHeader(EncodedBody.HEADER_LENGTH_HEADER, Integer.toString(n)));
    response.end(Buffer.buffer(encoded.body()));
  }

  private static void reply(HttpServerResponse response, V2Exception e, String servedBy) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(e.httpStatus()).putHeader("Content-Type", "application/json");
    if (e.httpStatus() == 503) {
      response.putHeader("Retry-After", V2Responses.RETRY_AFTER_SECONDS);
    }
    if (servedBy != null) {
      response.putHeader(V2Responses.REVISION_HEADER, servedBy);
    }
    response.end(e.errorJson());
  }

  /**
   * The body as it arrives, up to the limit; past it the rest is read and dropped, so that the 413
   * can be sent on a connection in a known state.
   */
  private static final class BodyCollector {
    private final long max;
    private Buffer buffer;
    private long size;

    BodyCollector(HttpServerRequest request, long max) {
      this.max = max;
      String length = request.getHeader("Content-Length");
      int initial = 1024;
      if (length != null) {
        try {
          initial = (int) Math.min(Long.parseLong(length.trim()), Math.min(max, 1 << 20));
        } catch (NumberFormatException ignored) {
          // Vert.x refuses a malformed Content-Length before here; keep the default.
        }
      }
      this.buffer = Buffer.buffer(Math.max(initial, 0));
    }

    void append(Buffer chunk) {
      size += chunk.length();
      if (size > max) {
        buffer = null;
      } else {
        buffer.appendBuffer(chunk);
      }
    }

    boolean tooLarge() {
      return buffer == null;
    }

    long size() {
      return size;
    }

    byte[] bytes() {
      return buffer.getBytes();
    }
  }
}
