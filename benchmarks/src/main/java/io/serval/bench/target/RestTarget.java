package io.serval.bench.target;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.bench.load.Target;
import io.serval.bench.workload.InputTensor;
import io.serval.bench.workload.OutputTensor;
import io.serval.bench.workload.Workload;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * V2 {@code POST /v2/models/{name}/infer} over HTTP/1.1 keep-alive connections (one per outstanding
 * request) with the Vert.x client, which costs less CPU per request than {@code
 * java.net.http.HttpClient}. The body is encoded once; each response is read fully and its status
 * checked, but only the probe decodes it.
 *
 * <p>In binary mode the request uses the binary tensor extension for inputs and asks for the output
 * in binary.
 */
public final class RestTarget implements Target {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private final HttpClient client;
  private final RequestOptions options;
  private final Buffer body;
  private final String outputName;

  public RestTarget(
      Workload workload,
      String host,
      int port,
      boolean binary,
      int connections,
      Duration timeout,
      Vertx vertx) {
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())),
            new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    this.outputName = workload.outputName();
    byte[] header = header(workload, binary);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (binary) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.writeBytes(header);
      for (InputTensor input : workload.inputs()) {
        bytes.writeBytes(input.littleEndianBytes());
      }
      this.body = Buffer.buffer(bytes.toByteArray());
      headers.add("Content-Type", "application/octet-stream");
      headers.add(HEADER_LENGTH, Integer.toString(header.length));
    } else {
      this.body = Buffer.buffer(header);
      headers.add("Content-Type", "application/json");
    }
    this.options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(host)
            .setPort(port)
            .setURI("/v2/models/" + workload.name() + "/infer")
            .setHeaders(headers)
            .setConnectTimeout(timeout.toMillis())
            .setIdleTimeout(timeout.toMillis());
  }

  /** The JSON request: the whole request in JSON mode, the header part in binary mode. */
  public static byte[] header(Workload workload, boolean binary) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.getFactory().createGenerator(bytes)) {
      json.writeStartObject();
      json.writeArrayFieldStart("inputs");
      for (InputTensor input : workload.inputs()) {
        json.writeStartObject();
        json.writeStringField("name", input.name());
        json.writeArrayFieldStart("shape");
        for (long d : input.shape()) {
          json.writeNumber(d);
        }
        json.writeEndArray();
        json.writeStringField("datatype", input.datatype());
        if (binary) {
          json.writeObjectFieldStart("parameters");
          json.writeNumberField("binary_data_size", input.littleEndianBytes().length);
          json.writeEndObject();
        } else {
          json.writeArrayFieldStart("data");
          if (input.longs() != null) {
            for (long v : input.longs()) {
              json.writeNumber(v);
            }
          } else {
            for (float v : input.floats()) {
              json.writeNumber(v);
            }
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("outputs");
      json.writeStartObject();
      json.writeStringField("name", workload.outputName());
      if (binary) {
        json.writeObjectFieldStart("parameters");
        json.writeBooleanField("binary_data", true);
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private record Response(int status, MultiMap headers, Buffer body) {}

  private Future<Response> send() {
    return client
        .request(options)
        .compose(request -> request.send(body))
        .compose(
            response ->
                response
                    .body()
                    .map(
                        bytes -> {
                          if (response.statusCode() != 200) {
                            throw new IllegalStateException(
                                "HTTP "
                                    + response.statusCode()
                                    + ": "
                                    + truncate(bytes.toString(StandardCharsets.UTF_8)));
                          }
                          return new Response(response.statusCode(), response.headers(), bytes);
                        }));
  }

  @Override
  public CompletableFuture<?> call() {
    return send().toCompletionStage().toCompletableFuture();
  }

  /** Sends one request and decodes the checked output from JSON or binary. */
  public OutputTensor fetchOutput() throws Exception {
    Response response = send().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    byte[] bytes = response.body().getBytes();
    String headerLength = response.headers().get(HEADER_LENGTH);
    int jsonLength = headerLength == null ? bytes.length : Integer.parseInt(headerLength.trim());
    JsonNode root = JSON.readTree(bytes, 0, jsonLength);
    int binaryOffset = jsonLength;
    for (JsonNode output : root.path("outputs")) {
      long binarySize = output.path("parameters").path("binary_data_size").asLong(-1);
      if (output.path("name").asText().equals(outputName)) {
        long[] shape = new long[output.path("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = output.path("shape").get(i).asLong();
        }
        float[] values;
        if (binarySize >= 0) {
          var floats =
              ByteBuffer.wrap(bytes, binaryOffset, (int) binarySize)
                  .order(ByteOrder.LITTLE_ENDIAN)
                  .asFloatBuffer();
          values = new float[floats.remaining()];
          floats.get(values);
        } else {
          List<Float> flat = new ArrayList<>();
          flatten(output.path("data"), flat);
          values = new float[flat.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = flat.get(i);
          }
        }
        return new OutputTensor(outputName, shape, values);
      }
      binaryOffset += (int) Math.max(0, binarySize);
    }
    throw new IllegalStateException(
        "REST response has no output " + outputName + ": " + truncate(root.toString()));
  }

  private static void flatten(JsonNode node, List<Float> into) {
    if (node.isArray()) {
      node.forEach(child -> flatten(child, into));
    } else {
      into.add(node.floatValue());
    }
  }

  private static String truncate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  @Override
  public void close() {
    try {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("WARN closing HTTP client: " + e.getMessage());
    }
  }
}
