package io.serval.bench;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Reads durations as "500ms", "3s", "2m" or ISO-8601 ("PT3S"). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.startsWith("pt")) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      if (text.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
      }
      if (text.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
      }
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException("not a duration: '" + value + "'");
    }
    throw new CommandLine.TypeConversionException(
        "not a duration: '" + value + "' (use e.g. 500ms, 3s, 2m or PT3S)");
  }
}
