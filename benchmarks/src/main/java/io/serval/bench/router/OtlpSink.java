package io.serval.bench.router;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OTLP/gRPC trace receiver that accepts and drops every export: the collector a traced
 * router exports to when the benchmark measures what tracing costs it. Counts exports and bytes, so
 * that a run shows spans did leave.
 */
final class OtlpSink implements AutoCloseable {
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

  private final AtomicLong exports = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Server server;

  OtlpSink(String host, int port) throws IOException {
    MethodDescriptor<byte[], byte[]> export =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .addService(
                ServerServiceDefinition.builder(
                        "opentelemetry.proto.collector.trace.v1.TraceService")
                    .addMethod(
                        export,
                        ServerCalls.asyncUnaryCall(
                            (request, response) -> {
                              exports.incrementAndGet();
                              bytes.addAndGet(request.length);
                              response.onNext(new byte[0]);
                              response.onCompleted();
                            }))
                    .build())
            .build()
            .start();
  }

  String endpoint(String host) {
    return "http://" + host + ":" + server.getPort();
  }

  long exports() {
    return exports.get();
  }

  long bytes() {
    return bytes.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
