package io.serval.security.telemetry;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how a service exports its spans, read from Quarkus's own OTLP exporter settings ({@code
 * quarkus.otel.exporter.otlp.[traces.]endpoint}, {@code protocol}, {@code headers}, {@code
 * compression}, {@code timeout}), so that the exporter Serval installs in their place ({@link
 * OtlpSpanExporters}) is configured exactly as documented for Quarkus's. The {@code traces.} form
 * of a key wins over the general one, as in Quarkus.
 *
 * @param protocol OTLP over gRPC (the default, port 4317) or over HTTP with protobuf bodies
 * @param endpoint the collector: for gRPC its base URI, for HTTP the full URL of the traces path
 *     ({@code /v1/traces} appended to the configured base, as Quarkus does)
 * @param headers sent with every export (a hosted backend's API key, for example)
 * @param gzip whether export bodies are gzip-compressed
 * @param timeout how long one export may take
 */
public record OtlpTraceExport(
    Protocol protocol, URI endpoint, Map<String, String> headers, boolean gzip, Duration timeout) {

  /** The two OTLP transports Quarkus supports, by their configuration names. */
  public enum Protocol {
    GRPC,
    HTTP_PROTOBUF
  }

  static final String PREFIX = "quarkus.otel.exporter.otlp.";
  static final String TRACES = PREFIX + "traces.";

  /** Quarkus's default when tracing is on and no endpoint is given. */
  static final String DEFAULT_ENDPOINT = "http://localhost:4317";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  static final String TRACES_PATH = "/v1/traces";

  public OtlpTraceExport {
    headers = Map.copyOf(headers);
  }

  /**
   * @param config a configuration lookup: the value of a key, or null when it is not set
   * @throws IllegalArgumentException on a protocol, compression, header or timeout Quarkus would
   *     reject too
   */
  public static OtlpTraceExport from(UnaryOperator<String> config) {
    Protocol protocol = protocol(setting(config, "protocol", "grpc"));
    String base = setting(config, "endpoint", DEFAULT_ENDPOINT).trim();
    URI endpoint =
        URI.create(
            protocol == Protocol.HTTP_PROTOBUF ? stripSlash(base) + TRACES_PATH : stripSlash(base));
    return new OtlpTraceExport(
        protocol,
        endpoint,
        headers(setting(config, "headers", "")),
        gzip(setting(config, "compression", "none")),
        duration(setting(config, "timeout", null), DEFAULT_TIMEOUT));
  }

  private static String setting(UnaryOperator<String> config, String name, String fallback) {
    String value = config.apply(TRACES + name);
    if (value == null || value.isBlank()) {
      value = config.apply(PREFIX + name);
    }
    return value == null || value.isBlank() ? fallback : value;
  }

  private static String stripSlash(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  static Protocol protocol(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "grpc" -> Protocol.GRPC;
      case "http/protobuf" -> Protocol.HTTP_PROTOBUF;
      default ->
          throw new IllegalArgumentException(
              "unsupported OTLP protocol '" + value + "': grpc or http/protobuf");
    };
  }

  static boolean gzip(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "gzip" -> true;
      case "none" -> false;
      default ->
          throw new IllegalArgumentException(
              "unsupported OTLP compression '" + value + "': gzip or none");
    };
  }

  /** Quarkus's list syntax: {@code key=value} items separated by commas. */
  static Map<String, String> headers(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : value.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("OTLP header '" + item.trim() + "' is not key=value");
      }
      out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
    }
    return out;
  }

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  /** Quarkus's duration syntax: a number of seconds, {@code 100ms}, {@code 10s}, or ISO-8601. */
  static Duration duration(String value, Duration fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    String v = value.trim();
    Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Duration.parse(v.startsWith("P") || v.startsWith("p") ? v : "PT" + v);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
