package io.serval.it.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.Context;
import io.grpc.Contexts;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP/gRPC trace receiver for tests: the collector's {@code TraceService/Export} on a free
 * loopback port, keeping every span it is sent and the raw bytes of every export (to check what
 * leaves a service). Decodes the OTLP protobuf by field number (opentelemetry-proto's trace.proto),
 * so that no generated classes are needed.
 */
public final class OtlpTraceReceiver implements AutoCloseable {
  private static final HexFormat HEX = HexFormat.of();

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

  private static final MethodDescriptor<byte[], byte[]> EXPORT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();

  private static final Metadata.Key<String> USER_AGENT =
      Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALLER_AGENT = Context.key("user-agent");

  /** Who sent one export: the client's {@code user-agent}, and the services whose spans it held. */
  public record Sender(String userAgent, Set<String> services) {}

  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<byte[]> exports = new CopyOnWriteArrayList<>();
  private final List<Sender> senders = new CopyOnWriteArrayList<>();
  private final Server server;

  public OtlpTraceReceiver() {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("opentelemetry.proto.collector.trace.v1.TraceService")
            .addMethod(
                EXPORT,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      exports.add(request);
                      List<ReceivedSpan> received = decode(request);
                      spans.addAll(received);
                      Set<String> services = new TreeSet<>();
                      received.forEach(span -> services.add(span.service()));
                      senders.add(new Sender(String.valueOf(CALLER_AGENT.get()), services));
                      // ExportTraceServiceResponse with nothing rejected: an empty message.
                      response.onNext(new byte[0]);
                      response.onCompleted();
                    }))
            .build();
    ServerInterceptor keepUserAgent =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            Context context = Context.current().withValue(CALLER_AGENT, headers.get(USER_AGENT));
            return Contexts.interceptCall(context, call, headers, next);
          }
        };
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(ServerInterceptors.intercept(service, keepUserAgent))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The endpoint to give a service (quarkus.otel.exporter.otlp.endpoint). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  public List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  /** Every export request as it arrived, for checks on what left the services. */
  public List<byte[]> exports() {
    return List.copyOf(exports);
  }

  /** Who sent each export, in arrival order. */
  public List<Sender> senders() {
    return List.copyOf(senders);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** ExportTraceServiceRequest: 1 = repeated ResourceSpans. */
  static List<ReceivedSpan> decode(byte[] request) {
    List<ReceivedSpan> out = new ArrayList<>();
    UnknownFieldSet req = parse(ByteString.copyFrom(request));
    for (ByteString rs : lengthDelimited(req, 1)) {
      // ResourceSpans: 1 = Resource (1 = repeated KeyValue), 2 = repeated ScopeSpans
      UnknownFieldSet resourceSpans = parse(rs);
      String service = "";
      for (ByteString resource : lengthDelimited(resourceSpans, 1)) {
        Object name = attributes(parse(resource), 1).get("service.name");
        service = name == null ? "" : name.toString();
      }
      for (ByteString ss : lengthDelimited(resourceSpans, 2)) {
        // ScopeSpans: 2 = repeated Span
        for (ByteString s : lengthDelimited(parse(ss), 2)) {
          out.add(span(service, parse(s)));
        }
      }
    }
    return out;
  }

  /**
   * Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7 start (fixed64), 8 end
   * (fixed64), 9 repeated KeyValue attributes.
   */
  private static ReceivedSpan span(String service, UnknownFieldSet s) {
    return new ReceivedSpan(
        service,
        hex(s, 1),
        hex(s, 2),
        hex(s, 4),
        string(s, 5),
        s.hasField(6) ? s.getField(6).getVarintList().get(0).intValue() : 0,
        s.getField(7).getFixed64List().get(0),
        s.getField(8).getFixed64List().get(0),
        attributes(s, 9));
  }

  /** KeyValue: 1 key, 2 AnyValue (1 string, 2 bool, 3 int, 4 double). */
  private static Map<String, Object> attributes(UnknownFieldSet owner, int field) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (ByteString kv : lengthDelimited(owner, field)) {
      UnknownFieldSet pair = parse(kv);
      String key = string(pair, 1);
      List<ByteString> values = lengthDelimited(pair, 2);
      if (values.isEmpty()) {
        continue;
      }
      UnknownFieldSet v = parse(values.get(0));
      Object value;
      if (v.hasField(1)) {
        value = v.getField(1).getLengthDelimitedList().get(0).toStringUtf8();
      } else if (v.hasField(2)) {
        value = v.getField(2).getVarintList().get(0) != 0;
      } else if (v.hasField(3)) {
        value = v.getField(3).getVarintList().get(0);
      } else if (v.hasField(4)) {
        value = Double.longBitsToDouble(v.getField(4).getFixed64List().get(0));
      } else {
        value = "<complex>";
      }
      out.put(key, value);
    }
    return out;
  }

  private static UnknownFieldSet parse(ByteString bytes) {
    try {
      return UnknownFieldSet.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("malformed OTLP message", e);
    }
  }

  private static List<ByteString> lengthDelimited(UnknownFieldSet set, int field) {
    return set.hasField(field) ? set.getField(field).getLengthDelimitedList() : List.of();
  }

  private static String string(UnknownFieldSet set, int field) {
    List<ByteString> l = lengthDelimited(set, field);
    return l.isEmpty() ? "" : l.get(0).toStringUtf8();
  }

  private static String hex(UnknownFieldSet set, int field) {
    List<ByteString> l = lengthDelimited(set, field);
    return l.isEmpty() || l.get(0).isEmpty() ? "" : HEX.formatHex(l.get(0).toByteArray());
  }
}
