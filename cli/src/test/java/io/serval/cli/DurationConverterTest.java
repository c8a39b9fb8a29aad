package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Options read durations with the specs' grammar: a value copied from a spec works as an option.
 */
class DurationConverterTest {

  @Command(name = "wait")
  static class Waiting {
    @Option(names = "--timeout", converter = DurationConverter.class)
    Duration timeout;
  }

  private static Duration timeout(String value) {
    Waiting w = new Waiting();
    new CommandLine(w).parseArgs("--timeout", value);
    return w.timeout;
  }

  @Test
  void readsWhatSpecsWrite() {
    assertThat(timeout("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(timeout("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(timeout("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(timeout("2h")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void stillReadsWhatOptionsTookBefore() {
    assertThat(timeout("30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(timeout("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(timeout("pt1m")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void refusesOtherTextNamingTheOption() {
    assertThatThrownBy(() -> timeout("soon"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage(
            "Invalid value for option '--timeout': 'soon' is not a duration (examples: 500ms, 30s,"
                + " 1m30s, 5m, 1h; at most 8760h)");
    assertThatThrownBy(() -> timeout("9000h")).hasMessageContaining("'9000h' is not a duration");
    assertThatThrownBy(() -> timeout("PTsoon")).hasMessageContaining("'PTsoon' is not a duration");
  }
}
