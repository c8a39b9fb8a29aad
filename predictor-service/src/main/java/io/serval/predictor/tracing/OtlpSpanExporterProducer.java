package io.serval.predictor.tracing;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.serval.security.telemetry.OtlpSpanExporters;
import io.serval.security.telemetry.OtlpTraceExport;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Exports this service's spans with the OpenTelemetry SDK's OTLP exporter instead of Quarkus's,
 * configured by the same {@code quarkus.otel.exporter.otlp.*} settings (docs/observability.md).
 *
 * <p>How it takes Quarkus's place: Quarkus 3.30 builds its own (Vert.x) OTLP exporter only when the
 * application has no {@link SpanExporter} bean; with this one, its default {@code cdi} exporter
 * hands this bean to the SDK, which wraps it in a batch span processor configured by {@code
 * quarkus.otel.bsp.*}. The batches are then marshalled on that processor's thread rather than on
 * the event loops serving requests ({@link OtlpSpanExporters} says why).
 *
 * <p>Only looked up when tracing is on (an endpoint set: {@code OtlpTracingSwitch}); with the SDK
 * disabled nothing asks for it, so nothing is built and no connection is opened.
 */
@Singleton
public class OtlpSpanExporterProducer {

  @Produces
  @Singleton
  @Unremovable
  SpanExporter otlpSpanExporter(Config config) {
    return OtlpSpanExporters.create(
        OtlpTraceExport.from(key -> config.getOptionalValue(key, String.class).orElse(null)));
  }
}
