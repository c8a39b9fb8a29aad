package io.serval.bench.router;

import io.serval.bench.process.PredictorProcess;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.v2.EncodedBody;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.RestInferResponseEncoder;
import io.serval.v2.V2Exception;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.OptionalInt;

/**
 * A baseline for the router's overhead, not a product: the same REST→gRPC translation (the router's
 * codec, JSON in, V2 gRPC to the predictor, JSON out) with nothing else, on Vert.x's HTTP server
 * and gRPC client, one of each per event loop. No queue, no deadlines, no retries, no metrics, no
 * access control. What it costs over nginx is what translating on the JVM costs on this machine;
 * what the router costs over it is the price of the router's functions.
 *
 * <p>Run as its own process: {@code LeanProxy <http port> <predictor grpc port> <event loops>}.
 */
public final class LeanProxy extends AbstractVerticle {
  private static final String PREFIX = "/v2/models/";
  private static final String SUFFIX = "/infer";
  private static final String METHOD = "inference.GRPCInferenceService/ModelInfer";

  private final int port;
  private final SocketAddress predictor;
  private GrpcClient client;

  LeanProxy(int port, int predictorGrpcPort) {
    this.port = port;
    this.predictor = SocketAddress.inetSocketAddress(predictorGrpcPort, PredictorProcess.HOST);
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    int loops = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    vertx
        .deployVerticle(
            () -> new LeanProxy(port, upstream), new DeploymentOptions().setInstances(loops))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }

  @Override
  public void start() {
    client = GrpcClient.client(vertx);
    vertx
        .createHttpServer(new HttpServerOptions().setHost(PredictorProcess.HOST).setPort(port))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest http) {
    String path = http.path();
    if (path.equals("/v2/health/ready")) {
      http.response().end("{\"ready\":true}");
      return;
    }
    if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
      http.response().setStatusCode(404).end();
      return;
    }
    String name = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
    http.body()
        .onSuccess(
            body -> {
              ModelInferRequest request;
              try {
                request =
                    RestInferRequestDecoder.decode(
                        name, null, body.getBytes(), OptionalInt.empty());
              } catch (V2Exception e) {
                http.response().setStatusCode(e.httpStatus()).end(e.errorJson());
                return;
              }
              client
                  .request(predictor)
                  .compose(
                      call -> {
                        call.fullMethodName(METHOD);
                        call.end(Buffer.buffer(request.toByteArray()));
                        return call.response().compose(response -> response.last());
                      })
                  .onComplete(
                      answer -> {
                        if (answer.failed()) {
                          http.response().setStatusCode(502).end(answer.cause().toString());
                          return;
                        }
                        try {
                          EncodedBody encoded =
                              RestInferResponseEncoder.encode(
                                  ModelInferResponse.parseFrom(answer.result().getBytes()),
                                  request);
                          http.response()
                              .putHeader("Content-Type", encoded.contentType())
                              .end(Buffer.buffer(encoded.body()));
                        } catch (Exception e) {
                          http.response().setStatusCode(500).end(e.toString());
                        }
                      });
            });
  }
}
