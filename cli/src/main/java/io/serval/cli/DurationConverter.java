package io.serval.cli;

import io.serval.specrules.Durations;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as the specs write them ({@link Durations}: 500ms, 30s, 1m30s, 1.5s, 1h), so that a
 * value copied from a spec works as an option; ISO-8601 (PT30S) is still read, as before. Picocli
 * puts the option's name in front of the message.
 */
public class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    String text = value.trim();
    if (text.regionMatches(true, 0, "PT", 0, 2)) {
      try {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw notADuration(value);
      }
    }
    try {
      // options were read case-blind ("30S"): the spec grammar is lower case
      return Durations.parse(text.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw notADuration(value);
    }
  }

  private static TypeConversionException notADuration(String value) {
    return new TypeConversionException(
        "'"
            + value
            + "' is not a duration (examples: 500ms, 30s, 1m30s, 5m, 1h; at most "
            + Durations.format(Durations.MAX)
            + ")");
  }
}
