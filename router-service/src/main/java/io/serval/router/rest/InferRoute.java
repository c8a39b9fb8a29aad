package io.serval.router.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.router.config.RouterConfig;
import io.serval.router.dispatch.InferListener;
import io.serval.router.dispatch.InferenceDispatcher;
import io.serval.router.dispatch.Protocol;
import io.serval.router.dispatch.RequestLog;
import io.serval.router.queue.Ticker;
import io.serval.router.routing.RouteTableHolder;
import io.serval.v2.EncodedBody;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.RestInferResponseEncoder;
import io.serval.v2.V2Exception;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code POST /v2/models/{name}[/versions/{version}]/infer}: decodes the body (JSON or the binary
 * tensor extension) into a ModelInferRequest, hands it to the dispatcher, and encodes the answer in
 * the form the request came in.
 *
 * <p>A plain Vert.x route, not a JAX-RS method like the rest of the V2 API: this is the path every
 * prediction takes, and the JAX-RS machinery around it (handler chain, Uni adaptation, context
 * propagation, per-request writer lookup) cost more CPU than the router's own work on it (profile
 * in docs/benchmarks.md). The Quarkus filters (access control, body size) apply as to every route.
 *
 * <p>Memory and the event loop stay bounded: the body is kept in a {@link BodyCollector} that grows
 * with the bytes received and reserves them in the router-wide {@link BodyBudget} until the request
 * is over (503 with Retry-After when it is spent); a body that stalls longer than
 * serval.router.limits.body-read-timeout ends with 408; and bodies or answers larger than
 * serval.router.limits.offload-codec-above are decoded and encoded on the codec threads, so that a
 * 64 MB JSON body does not hold up the health checks and small requests on the same event loop.
 * Small requests take the old path: all on the event loop, nothing scheduled.
 */
@Singleton
public class InferRoute {
  private static final Logger LOG = Logger.getLogger(InferRoute.class);

  private final InferenceDispatcher dispatcher;
  private final RouteTableHolder routes;
  private final long maxBodyBytes;
  private final BodyBudget budget;
  private final long bodyReadTimeoutMillis;
  private final long offloadAbove;
  private final WorkerExecutor codec;
  private final Vertx vertx;
  private final AsyncIntake async;
  private final Ticker ticker = Ticker.system();
  private final LongAdder offloaded = new LongAdder();

  public InferRoute(
      InferenceDispatcher dispatcher,
      RouteTableHolder routes,
      RouterConfig config,
      BodyBudget budget,
      @Named("codec") WorkerExecutor codec,
      Vertx vertx,
      AsyncIntake async) {
    this.dispatcher = dispatcher;
    this.routes = routes;
    this.maxBodyBytes = config.maxMessageSize().asLongValue();
    this.budget = budget;
    this.bodyReadTimeoutMillis = Math.max(1, config.limits().bodyReadTimeout().toMillis());
    this.offloadAbove = config.limits().offloadCodecAbove().asLongValue();
    this.codec = codec;
    this.vertx = vertx;
    this.async = async;
  }

  void register(@Observes Router router) {
    router.post("/v2/models/:name/infer").handler(rc -> handle(rc, rc.pathParam("name"), null));
    router
        .post("/v2/models/:name/versions/:version/infer")
        .handler(rc -> handle(rc, rc.pathParam("name"), rc.pathParam("version")));
  }

  /** Bodies and answers handed to the codec threads so far. */
  public long offloaded() {
    return offloaded.sum();
  }

  private void handle(RoutingContext rc, String name, String version) {
    HttpServerRequest request = rc.request();
    // Into the request's duplicated context: Quarkus keeps the MDC there, so every line logged
    // while this request's callbacks run (body chunks, decoding, the answer) carries them.
    String requestId = RequestLog.requestId(request.getHeader(RequestLog.REQUEST_ID_HEADER));
    MDC.put(RequestLog.REQUEST_ID, requestId);
    MDC.put(RequestLog.API, name);
    long declared = declaredLength(request);
    if (declared > 0 && !budget.fits(declared)) {
      // Refused before a byte is read: the client learns at once, and retries elsewhere or later.
      endAndClose(request, overBudget());
      return;
    }
    new Exchange(rc, requestId, name, version, declared).start();
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1; // Vert.x refuses a malformed Content-Length before here
    }
  }

  private V2Exception overBudget() {
    return V2Exception.unavailable(
        "the router holds "
            + budget.capacity()
            + " bytes of request bodies at most and has no room for this one now"
            + " (serval.router.limits.in-flight-body-bytes); retry shortly");
  }

  /** One request, from its first body byte to its answer; its methods run on its event loop. */
  private final class Exchange {
    private final RoutingContext rc;
    private final String requestId;
    private final String name;
    private final String version;
    private final long declared;
    private final BodyCollector body;
    private InferenceDispatcher.Handle handle = InferenceDispatcher.Handle.NONE;
    private long timer = -1;
    private long lastChunkNanos;
    private boolean bodyDone;

    Exchange(RoutingContext rc, String requestId, String name, String version, long declared) {
      this.rc = rc;
      this.requestId = requestId;
      this.name = name;
      this.version = version;
      this.declared = declared;
      this.body = new BodyCollector(maxBodyBytes, budget);
    }

    void start() {
      HttpServerRequest request = rc.request();
      // Whatever ends the exchange (answer, refusal, failure, client gone) gives the reservation
      // back. When the connection closes before the answer (the client went away) the request is
      // also cancelled wherever it is (queued, or in flight at a replica).
      rc.addEndHandler(
          ar -> {
            bodyDone = true;
            cancelTimer();
            body.release();
            if (ar.failed()) {
              handle.cancel();
            }
          });
      request.handler(this::chunk);
      request.exceptionHandler(e -> LOG.debugf("reading a request body failed: %s", e.toString()));
      request.endHandler(v -> bodyEnded());
      request.resume();
    }

    private void chunk(Buffer chunk) {
      BodyCollector.State state = body.append(chunk);
      if (state == BodyCollector.State.OVER_BUDGET) {
        if (!rc.response().ended()) {
          bodyDone = true;
          cancelTimer();
          endAndClose(rc.request(), overBudget());
        }
        return;
      }
      if (timer >= 0) {
        lastChunkNanos = ticker.nanos();
      } else if (!bodyDone && body.size() != declared) {
        // More is coming: from now on a stalled body is timed out. A body that arrives whole
        // (every small request) never sets a timer.
        lastChunkNanos = ticker.nanos();
        timer = vertx.setTimer(bodyReadTimeoutMillis, id -> checkStalled());
      }
    }

    private void checkStalled() {
      timer = -1;
      if (bodyDone) {
        return;
      }
      long idleMillis = TimeUnit.NANOSECONDS.toMillis(ticker.nanos() - lastChunkNanos);
      if (idleMillis < bodyReadTimeoutMillis) {
        timer = vertx.setTimer(bodyReadTimeoutMillis - idleMillis, id -> checkStalled());
        return;
      }
      bodyDone = true;
      body.release();
      // 408 Request Timeout has no V2 error kind: a client-side stall, answered here alone.
      endAndClose(
          rc.request(),
          408,
          V2Exception.errorJson(
              "no request body bytes for "
                  + bodyReadTimeoutMillis
                  + " ms (serval.router.limits.body-read-timeout)"));
    }

    private void cancelTimer() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    private void bodyEnded() {
      if (bodyDone) {
        return;
      }
      bodyDone = true;
      cancelTimer();
      switch (body.state()) {
        case TOO_LARGE ->
            reply(
                rc.response().putHeader("Connection", "close"),
                BodySizeGuard.tooLarge(body.size(), maxBodyBytes),
                null);
        case OVER_BUDGET -> {
          // answered when the budget ran out
        }
        case READING -> infer();
      }
    }

    private void infer() {
      HttpServerRequest http = rc.request();
      // A later callback than handle()'s: its MDC fields come from the duplicated context.
      LOG.debugf("request body to '%s' read: %d bytes", name, body.size());
      long deadline;
      OptionalInt headerLength;
      boolean respondAsync;
      try {
        if (!routes.current().knows(name)) {
          throw V2Resource.notFound(routes, name);
        }
        // A header lookup and nothing more for realtime requests: no list built, no parsing.
        respondAsync =
            http.getHeader("Prefer") != null
                && async.enabled()
                && PreferHeader.respondAsync(http.headers().getAll("Prefer"));
        if (respondAsync && routes.current().api(name) == null) {
          throw V2Exception.invalid(
              "'"
                  + name
                  + "' is a splitter: async requests go to an API (send it to one of its targets)");
        }
        String timeout = http.getHeader(TimeoutHeader.NAME);
        deadline =
            timeout == null
                ? Long.MAX_VALUE
                : ticker.nanos() + TimeoutHeader.parse(timeout).toNanos();
        headerLength = V2Resource.headerLength(http.getHeader(EncodedBody.HEADER_LENGTH_HEADER));
      } catch (V2Exception e) {
        reply(rc.response(), e, null);
        return;
      }
      if (body.size() <= offloadAbove) {
        Decoded decoded;
        try {
          decoded = decode(body.bytes(), headerLength);
        } catch (RuntimeException e) {
          reply(rc.response(), decodingFailure(e), null);
          return;
        }
        submit(decoded, deadline, respondAsync);
        return;
      }
      offloaded.increment();
      codec
          .executeBlocking(() -> decode(body.bytes(), headerLength), false)
          .onComplete(
              ar -> {
                // Back on the request's event loop after a codec thread: the MDC fields set in
                // handle() are still there because both ran on its duplicated context.
                LOG.debugf("request body to '%s' decoded on a codec thread", name);
                if (ar.failed()) {
                  reply(rc.response(), decodingFailure(ar.cause()), null);
                } else if (!rc.response().ended() && !rc.response().closed()) {
                  submit(ar.result(), deadline, respondAsync);
                }
              });
    }

    private Decoded decode(byte[] bytes, OptionalInt headerLength) {
      ModelInferRequest request =
          RestInferRequestDecoder.decode(name, version, bytes, headerLength);
      return new Decoded(request, request.toByteArray());
    }

    private V2Exception decodingFailure(Throwable e) {
      if (e instanceof V2Exception v2) {
        return v2;
      }
      LOG.warnf(e, "decoding a request to '%s' failed", name);
      return V2Exception.internal("the request could not be decoded: " + e);
    }

    private void submit(Decoded decoded, long deadline, boolean respondAsync) {
      HttpServerResponse response = rc.response();
      if (respondAsync) {
        // Checked and decoded as a realtime request would be: now durable, answered later.
        async.accept(response, name, decoded.wire());
        return;
      }
      handle =
          dispatcher.submit(
              requestId,
              name,
              decoded.wire(),
              deadline,
              new InferListener() {
                @Override
                public void onResponse(byte[] answer, String servedBy) {
                  answer(response, answer, decoded.request(), servedBy);
                }

                @Override
                public void onError(Status status, String servedBy) {
                  reply(response, V2Exception.fromStatus(status), servedBy);
                }

                @Override
                public Protocol protocol() {
                  return Protocol.REST;
                }
              });
    }
  }

  /** A request in both forms: decoded, for encoding its answer, and on the wire, for replicas. */
  private record Decoded(ModelInferRequest request, byte[] wire) {}

  private void answer(
      HttpServerResponse response, byte[] answer, ModelInferRequest request, String servedBy) {
    if (answer.length <= offloadAbove) {
      send(response, encode(answer, request), servedBy);
      return;
    }
    offloaded.increment();
    codec
        .executeBlocking(() -> encode(answer, request), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                reply(
                    response,
                    V2Exception.internal("encoding the answer failed: " + ar.cause()),
                    servedBy);
              } else {
                send(response, ar.result(), servedBy);
              }
            });
  }

  /** The answer encoded as the request came, or the V2 error to send instead. */
  private static Object encode(byte[] answer, ModelInferRequest request) {
    try {
      return RestInferResponseEncoder.encode(ModelInferResponse.parseFrom(answer), request);
    } catch (InvalidProtocolBufferException e) {
      return V2Exception.internal("the replica sent a malformed response: " + e.getMessage());
    } catch (V2Exception e) {
      return e;
    }
  }

  private static void send(HttpServerResponse response, Object encodedOrError, String servedBy) {
    if (encodedOrError instanceof V2Exception e) {
      reply(response, e, servedBy);
      return;
    }
    EncodedBody encoded = (EncodedBody) encodedOrError;
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
   * Answers before the body is read, then drops the connection (HTTP/1) or the stream (HTTP/2): the
   * unread rest of the body leaves the connection in no state to carry another request.
   */
  private static void endAndClose(HttpServerRequest request, V2Exception e) {
    endAndClose(request, e.httpStatus(), e.errorJson());
  }

  private static void endAndClose(HttpServerRequest request, int status, String json) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json");
    if (status == 503) {
      response.putHeader("Retry-After", V2Responses.RETRY_AFTER_SECONDS);
    }
    response
        .putHeader("Connection", "close")
        .end(json)
        .onComplete(
            ar -> {
              if (request.version() == HttpVersion.HTTP_2) {
                response.reset();
              } else {
                request.connection().close();
              }
            });
  }
}
