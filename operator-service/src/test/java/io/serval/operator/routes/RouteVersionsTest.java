package io.serval.operator.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RouteVersionsTest {

  private static final Instant NOW = Instant.parse("2026-12-04T19:00:00.123456789Z");

  @Test
  void anEmptyStateDirectoryStartsAtTheClockInMicroseconds() {
    assertThat(RouteVersions.first(0, NOW)).isEqualTo(1796410800123456L);
  }

  @Test
  void aPersistedVersionAboveTheClockWins() {
    assertThat(RouteVersions.first(1796410800123456L + 50, NOW)).isEqualTo(1796410800123456L + 51);
  }

  @Test
  void aLaterRunStartsAboveAnEarlierRunsVersions() {
    long earlierRunStart = RouteVersions.first(0, NOW);
    long earlierRunLast = earlierRunStart + 100_000; // 100k route changes in one run
    Instant oneSecondLater = NOW.plusSeconds(1);
    assertThat(RouteVersions.first(0, oneSecondLater)).isGreaterThan(earlierRunLast);
  }
}
