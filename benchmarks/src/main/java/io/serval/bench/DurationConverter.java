package io.serval.bench;

import io.serval.specrules.Durations;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads durations as the specs write them ({@link Durations}: "500ms", "3s", "1.5s", "2m", "1m30s")
 * or as ISO-8601 ("PT3S").
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.startsWith("pt")) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      return Durations.parse(text);
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException(
          "not a duration: '" + value + "' (use e.g. 500ms, 3s, 2m, 1m30s or PT3S)");
    }
  }
}
