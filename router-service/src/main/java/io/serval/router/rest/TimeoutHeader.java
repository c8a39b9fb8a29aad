package io.serval.router.rest;

import io.serval.v2.V2Exception;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Serval-Timeout} request header: a deadline shorter than the API's timeout. Accepts
 * {@code 250ms}, {@code 1.5s}, {@code 2m}, or a bare number of milliseconds.
 */
final class TimeoutHeader {
  static final String NAME = "Serval-Timeout";
  private static final Pattern FORM = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?\\s*");

  private TimeoutHeader() {}

  static Duration parse(String value) {
    Matcher m = FORM.matcher(value);
    if (!m.matches()) {
      throw V2Exception.invalid(
          NAME + " header '" + value + "' is not a duration such as 250ms, 1.5s or 2m");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    double millis =
        switch (unit) {
          case "s" -> amount * 1000;
          case "m" -> amount * 60_000;
          default -> amount;
        };
    if (millis <= 0 || millis > Duration.ofDays(1).toMillis()) {
      throw V2Exception.invalid(NAME + " header '" + value + "' must be > 0 and at most 1 day");
    }
    return Duration.ofNanos((long) (millis * 1_000_000));
  }
}
