package io.serval.cli.output;

import io.serval.specrules.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** "3m ago" style ages, as kubectl and cortex get print them. */
public final class Ages {

  private Ages() {}

  /** The age of an ISO instant at now: 45s, 3m, 2h, 5d; "-" when missing or unreadable. */
  public static String since(String isoInstant, Instant now) {
    if (isoInstant == null || isoInstant.isBlank()) {
      return "-";
    }
    try {
      return of(Duration.between(Instant.parse(isoInstant), now));
    } catch (DateTimeParseException e) {
      return "-";
    }
  }

  /**
   * An ISO duration from the autoscaler's JSON (PT1M, PT1M30S) as the spec writes it (1m, 1m30s);
   * text that is not an ISO duration as is.
   */
  public static String iso(String isoDuration) {
    try {
      return Durations.format(Duration.parse(isoDuration));
    } catch (DateTimeParseException e) {
      return isoDuration;
    }
  }

  public static String of(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 2 * 3600) {
      return s / 60 + "m";
    }
    if (s < 2 * 86400) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }
}
