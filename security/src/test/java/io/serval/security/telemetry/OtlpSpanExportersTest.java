package io.serval.security.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.serval.security.telemetry.OtlpTraceExport.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The SDK exporter against real OTLP receivers on loopback, over both transports. */
class OtlpSpanExportersTest {
  static final String SPAN = "serval.test.exported_span";

  /** Ends one span through {@code exporter} and waits for the export's outcome. */
  /**
   * Exports one ended span with the exporter itself and waits for its result. (Through a
   * SimpleSpanProcessor's forceFlush the answer would race: an export that fails before the flush
   * is no longer pending, and the flush reports success.)
   */
  private static boolean exportOneSpan(SpanExporter exporter) {
    List<SpanData> ended = new CopyOnWriteArrayList<>();
    SpanProcessor capture =
        new SpanProcessor() {
          @Override
          public void onStart(Context parent, ReadWriteSpan span) {}

          @Override
          public boolean isStartRequired() {
            return false;
          }

          @Override
          public void onEnd(ReadableSpan span) {
            ended.add(span.toSpanData());
          }

          @Override
          public boolean isEndRequired() {
            return true;
          }
        };
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(capture).build();
    try {
      provider.get("test").spanBuilder(SPAN).startSpan().end();
      return exporter.export(ended).join(10, TimeUnit.SECONDS).isSuccess();
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
  }

  @Test
  void exportsOverGrpcWithHeadersAndGzip() throws IOException, InterruptedException {
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    List<Metadata> metadata = new CopyOnWriteArrayList<>();
    Server server = grpcReceiver(bodies, metadata);
    try {
      OtlpTraceExport export =
          new OtlpTraceExport(
              Protocol.GRPC,
              URI.create("http://127.0.0.1:" + server.getPort()),
              Map.of("api-key", "k-123"),
              true,
              Duration.ofSeconds(5));

      assertThat(exportOneSpan(OtlpSpanExporters.create(export))).isTrue();

      assertThat(bodies).hasSize(1);
      assertThat(contains(bodies.get(0), SPAN)).isTrue();
      Metadata m = metadata.get(0);
      assertThat(m.get(Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo("k-123");
      assertThat(m.get(Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo("gzip");
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void reportsAFailedExportWhenNoCollectorListens() throws IOException, InterruptedException {
    // A socket bound but not listening: connections are refused, and no other test's receiver
    // can take the port in the meantime (a closed server's port could be handed out again).
    try (java.net.Socket reserved = new java.net.Socket()) {
      reserved.bind(new InetSocketAddress("127.0.0.1", 0));
      OtlpTraceExport export =
          new OtlpTraceExport(
              Protocol.GRPC,
              URI.create("http://127.0.0.1:" + reserved.getLocalPort()),
              Map.of(),
              false,
              Duration.ofSeconds(2));

      assertThat(exportOneSpan(OtlpSpanExporters.create(export))).isFalse();
    }
  }

  @Test
  void exportsOverHttpProtobufToTheTracesPath() throws IOException {
    List<String> paths = new CopyOnWriteArrayList<>();
    List<String> keys = new CopyOnWriteArrayList<>();
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          paths.add(exchange.getRequestURI().getPath());
          keys.add(exchange.getRequestHeaders().getFirst("api-key"));
          InputStream in = exchange.getRequestBody();
          if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
          }
          bodies.add(in.readAllBytes());
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      OtlpTraceExport export =
          OtlpTraceExport.from(
              Map.of(
                      "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                      "quarkus.otel.exporter.otlp.traces.endpoint",
                          "http://127.0.0.1:" + server.getAddress().getPort(),
                      "quarkus.otel.exporter.otlp.headers", "api-key=k-456",
                      "quarkus.otel.exporter.otlp.compression", "gzip")
                  ::get);

      assertThat(exportOneSpan(OtlpSpanExporters.create(export))).isTrue();

      assertThat(paths).containsExactly("/v1/traces");
      assertThat(keys).containsExactly("k-456");
      assertThat(contains(bodies.get(0), SPAN)).isTrue();
    } finally {
      server.stop(0);
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** The collector's {@code TraceService/Export}, keeping each request's bytes and metadata. */
  private static Server grpcReceiver(List<byte[]> bodies, List<Metadata> metadata)
      throws IOException {
    String service = "opentelemetry.proto.collector.trace.v1.TraceService";
    MethodDescriptor<byte[], byte[]> export =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(service + "/Export")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    ServerInterceptor keepMetadata =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            metadata.add(headers);
            return next.startCall(call, headers);
          }
        };
    ServerServiceDefinition definition =
        ServerServiceDefinition.builder(service)
            .addMethod(
                export,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      bodies.add(request);
                      response.onNext(new byte[0]);
                      response.onCompleted();
                    }))
            .build();
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(definition, keepMetadata))
        .build()
        .start();
  }
}
