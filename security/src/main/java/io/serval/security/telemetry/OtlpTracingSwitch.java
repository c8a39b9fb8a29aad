package io.serval.security.telemetry;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns a service's OpenTelemetry SDK on when an OTLP endpoint is given, so that one setting does
 * it: {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} (or the {@code
 * quarkus.otel.exporter.otlp.endpoint} system property, or their {@code .traces.} forms). Every
 * service ships {@code quarkus.otel.sdk.disabled=true} in its application.properties (no spans,
 * nothing exported, no outbound connection); this source sits just above that file and answers
 * {@code false} when an endpoint is set. An explicit {@code QUARKUS_OTEL_SDK_DISABLED} still wins
 * (environment and system properties rank higher).
 *
 * <p>Lives here because every service and the CLI load this library: the OTLP endpoint is the one
 * outbound connection tracing adds (docs/security.md).
 */
public final class OtlpTracingSwitch implements ConfigSource {
  /** Above application.properties (250), below the environment (300) and system properties. */
  static final int ORDINAL = 260;

  static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

  private static final String[] ENDPOINTS = {
    "quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint"
  };

  private final Map<String, String> values;

  /** A class of Quarkus's OpenTelemetry extension: only an application that has it is switched. */
  static final String EXTENSION_CLASS = "io.quarkus.opentelemetry.runtime.QuarkusContextStorage";

  public OtlpTracingSwitch() {
    this(System::getProperty, System::getenv, onClasspath(EXTENSION_CLASS));
  }

  /**
   * @param tracingApp whether this application has the OpenTelemetry extension; the CLI, which
   *     loads this library too, has not, and must not see a key it would warn about as unknown
   */
  OtlpTracingSwitch(
      UnaryOperator<String> systemProperties,
      UnaryOperator<String> environment,
      boolean tracingApp) {
    this.values =
        tracingApp && endpointSet(systemProperties, environment)
            ? Map.of(SDK_DISABLED, "false")
            : Map.of();
  }

  static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, OtlpTracingSwitch.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** True when a system property or environment variable names an OTLP traces endpoint. */
  static boolean endpointSet(
      UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
    for (String key : ENDPOINTS) {
      if (present(systemProperties.apply(key)) || present(environment.apply(envName(key)))) {
        return true;
      }
    }
    return false;
  }

  /** The environment variable MicroProfile Config maps a property to. */
  static String envName(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public Map<String, String> getProperties() {
    return values;
  }

  @Override
  public Set<String> getPropertyNames() {
    return values.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return values.get(propertyName);
  }

  @Override
  public String getName() {
    return "serval-otlp-tracing-switch";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
