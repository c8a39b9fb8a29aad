package io.serval.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in V2 server for the tiny add model (sum = a + b, FP32 [1,16]) on gRPC and REST (JSON and
 * binary), decoding requests the way the protocol says: a wrong encoding gives a wrong sum or an
 * error status.
 */
final class FakeTinyServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Server grpc;
  private final HttpServer http;

  FakeTinyServer(Vertx vertx) throws Exception {
    grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Grpc())
            .build()
            .start();
    http =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request.body(
                        body -> {
                          try {
                            String headerLength = request.getHeader(RestTarget.HEADER_LENGTH);
                            Buffer answer =
                                headerLength == null
                                    ? json(body.result())
                                    : binary(body.result(), Integer.parseInt(headerLength));
                            var response = request.response().setStatusCode(200);
                            if (headerLength != null) {
                              response.putHeader(
                                  RestTarget.HEADER_LENGTH, Integer.toString(answer.getInt(0)));
                              answer = answer.getBuffer(4, answer.length());
                            }
                            response.end(answer);
                          } catch (Exception e) {
                            request.response().setStatusCode(400).end("{\"error\":\"" + e + "\"}");
                          }
                        }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  int grpcPort() {
    return grpc.getPort();
  }

  int httpPort() {
    return http.actualPort();
  }

  private static float[] sum(float[] a, float[] b) {
    float[] s = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = a[i] + b[i];
    }
    return s;
  }

  private static float[] floats(ByteBuffer littleEndian) {
    var view = littleEndian.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] values = new float[view.remaining()];
    view.get(values);
    return values;
  }

  private static Buffer json(Buffer body) throws Exception {
    JsonNode root = JSON.readTree(body.getBytes());
    float[][] in = new float[2][];
    for (JsonNode input : root.path("inputs")) {
      JsonNode data = input.path("data");
      float[] values = new float[data.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = data.get(i).floatValue();
      }
      in[input.path("name").asText().equals("a") ? 0 : 1] = values;
    }
    float[] s = sum(in[0], in[1]);
    StringBuilder out =
        new StringBuilder("{\"outputs\":[{\"name\":\"sum\",\"datatype\":\"FP32\",\"shape\":[1,")
            .append(s.length)
            .append("],\"data\":[");
    for (int i = 0; i < s.length; i++) {
      out.append(i == 0 ? "" : ",").append(s[i]);
    }
    return Buffer.buffer(out.append("]}]}").toString());
  }

  /** Returns the JSON header length in the first 4 bytes, then header and binary output. */
  private static Buffer binary(Buffer body, int headerLength) throws Exception {
    JsonNode root = JSON.readTree(body.getBytes(0, headerLength));
    int offset = headerLength;
    float[][] in = new float[2][];
    for (JsonNode input : root.path("inputs")) {
      int size = input.path("parameters").path("binary_data_size").asInt();
      in[input.path("name").asText().equals("a") ? 0 : 1] =
          floats(ByteBuffer.wrap(body.getBytes(offset, offset + size)));
      offset += size;
    }
    if (offset != body.length()) {
      throw new IllegalArgumentException("body has " + body.length() + " bytes, read " + offset);
    }
    float[] s = sum(in[0], in[1]);
    byte[] header =
        ("{\"outputs\":[{\"name\":\"sum\",\"datatype\":\"FP32\",\"shape\":[1,"
                + s.length
                + "],\"parameters\":{\"binary_data_size\":"
                + s.length * 4
                + "}}]}")
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer data = ByteBuffer.allocate(s.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(s);
    return Buffer.buffer().appendInt(header.length).appendBytes(header).appendBytes(data.array());
  }

  private static final class Grpc extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(
        ModelInferRequest request, StreamObserver<ModelInferResponse> responseObserver) {
      float[][] in = new float[2][];
      for (int i = 0; i < request.getInputsCount(); i++) {
        in[request.getInputs(i).getName().equals("a") ? 0 : 1] =
            floats(request.getRawInputContents(i).asReadOnlyByteBuffer());
      }
      float[] s = sum(in[0], in[1]);
      ByteBuffer data = ByteBuffer.allocate(s.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      data.asFloatBuffer().put(s);
      responseObserver.onNext(
          ModelInferResponse.newBuilder()
              .setModelName(request.getModelName())
              .addOutputs(
                  ModelInferResponse.InferOutputTensor.newBuilder()
                      .setName("sum")
                      .setDatatype("FP32")
                      .addShape(1)
                      .addShape(s.length))
              .addRawOutputContents(ByteString.copyFrom(data.array()))
              .build());
      responseObserver.onCompleted();
    }
  }

  @Override
  public void close() throws Exception {
    grpc.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
