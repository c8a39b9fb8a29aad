package io.serval.security.telemetry;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The OpenTelemetry SDK's own OTLP span exporter, which the router and the predictor install in
 * place of Quarkus's (each service's {@code tracing/OtlpSpanExporterProducer}).
 *
 * <p>Why not Quarkus's: in Quarkus 3.30 its OTLP exporter sends through a Vert.x client and writes
 * each batch's protobuf in that client's request handler, on the same Vert.x event loops that serve
 * the service's requests; every export (tens a second at full sampling) stalled the requests behind
 * it (docs/benchmarks.md "Tracing overhead"). The SDK's exporter marshals off those loops: over
 * gRPC on the thread that calls {@code export}, the batch span processor's own (grpc-java's Netty
 * loops only move the bytes), over HTTP on the JDK {@code HttpClient} sender's executor.
 *
 * <p>Needs {@code opentelemetry-exporter-otlp} and a sender ({@code
 * opentelemetry-exporter-sender-grpc-managed-channel}, {@code -jdk}) on the class path: the
 * services have them, this library has them as optional dependencies (the CLI, which loads this
 * library too, never calls this class).
 */
public final class OtlpSpanExporters {
  private OtlpSpanExporters() {}

  /** An exporter to {@code export}'s collector; it opens its connection on the first export. */
  public static SpanExporter create(OtlpTraceExport export) {
    return switch (export.protocol()) {
      case GRPC -> grpc(export);
      case HTTP_PROTOBUF -> http(export);
    };
  }

  private static SpanExporter grpc(OtlpTraceExport export) {
    // No channel of our own: grpc-java's, plaintext for http://, the JVM's trust store for
    // https:// (the sender's fallback channel, built from the endpoint).
    OtlpGrpcSpanExporterBuilder b =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(export.endpoint().toString())
            .setTimeout(export.timeout())
            .setCompression(export.gzip() ? "gzip" : "none")
            // The batch processor exports one batch at a time: the exporter may reuse its
            // marshalling buffers instead of allocating them per batch.
            .setMemoryMode(MemoryMode.REUSABLE_DATA);
    export.headers().forEach(b::addHeader);
    return b.build();
  }

  private static SpanExporter http(OtlpTraceExport export) {
    OtlpHttpSpanExporterBuilder b =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(export.endpoint().toString())
            .setTimeout(export.timeout())
            .setCompression(export.gzip() ? "gzip" : "none")
            .setMemoryMode(MemoryMode.REUSABLE_DATA);
    export.headers().forEach(b::addHeader);
    return b.build();
  }
}
