package io.serval.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

  final TestClock clock = new TestClock();
  final StringWriter text = new StringWriter();
  final PrintWriter out = new PrintWriter(text);

  static JobState job(String status, Long total, long done, long failed) {
    return new JobState(
        "0123456789abcdef0123456789abcdef",
        "minilm",
        JobStatus.of(status),
        status,
        total,
        done,
        done - failed,
        failed,
        "local",
        "local",
        "local",
        null,
        null,
        null,
        null);
  }

  @Test
  void theLineHasBarCountsPercentFailedRateAndEta() {
    String line =
        ProgressLine.of(
            job("running", 10000L, 5200, 52),
            OptionalDouble.of(812.4),
            Optional.of(Duration.ofSeconds(366)),
            true);
    assertThat(line)
        .isEqualTo(
            "running [############............] 5200/10000 52%  52 failed  812 items/s  ETA 6m06s");
  }

  @Test
  void unknownPartsReadAsSuch() {
    String line =
        ProgressLine.of(job("pending", null, 0, 0), OptionalDouble.empty(), Optional.empty(), true);
    assertThat(line)
        .isEqualTo("pending [........................] 0/?  0 failed  - items/s  ETA -");
    assertThat(ProgressLine.rate(2.345)).isEqualTo("2.3");
    assertThat(ProgressLine.duration(Duration.ofMinutes(125))).isEqualTo("2h05m");
  }

  @Test
  void onATerminalOneLineIsRedrawnInPlace() {
    ProgressDisplay d = ProgressDisplay.of(true, out, clock, Duration.ofSeconds(5));
    d.show(job("running", 100L, 10, 0));
    clock.advance(Duration.ofSeconds(1));
    d.show(job("running", 100L, 20, 1));
    d.finish();

    String s = text.toString();
    assertThat(s.split("\r", -1)).hasSize(3); // "", then two drawings
    assertThat(s).doesNotContain("\n" + "running").endsWith("\n");
    assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    assertThat(s).contains("20/100 20%  1 failed  10 items/s  ETA 8s");
  }

  @Test
  void aShorterLineCoversTheLongerOneBeforeIt() {
    ProgressDisplay d = ProgressDisplay.of(true, out, clock, Duration.ofSeconds(5));
    d.show(job("running", 100000L, 99999, 12345));
    int first = text.toString().length() - 1;
    d.show(job("running", 100000L, 1, 0));
    String second = text.toString().substring(first + 1);
    assertThat(second).startsWith("\r").hasSize(first + 1);
  }

  @Test
  void onAPipeLinesComeAtABoundedRateWithoutControlCharacters() {
    ProgressDisplay d = ProgressDisplay.of(false, out, clock, Duration.ofSeconds(5));
    // 1000 items, one reading every 10 ms for 10 s: 1000 readings
    for (int done = 0; done < 1000; done++) {
      d.show(job("running", 1000L, done, 0));
      clock.advance(Duration.ofMillis(10));
    }
    d.show(job("succeeded", 1000L, 1000, 0));
    d.finish();

    String s = text.toString();
    assertThat(s).doesNotContain("\r", "\033", "[#");
    long lines = s.lines().count();
    // the first, one per tenth (9), one per 5 s at most (2), the finished one
    assertThat(lines).isBetween(10L, 14L);
    assertThat(s.lines().toList().getLast()).startsWith("succeeded 1000/1000 100%");
  }

  @Test
  void onAPipeAStalledJobStillPrintsEveryInterval() {
    ProgressDisplay d = ProgressDisplay.of(false, out, clock, Duration.ofSeconds(5));
    for (int i = 0; i <= 20; i++) { // 20 s without progress, read every second
      d.show(job("running", 1000L, 500, 0));
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(text.toString().lines().count()).isEqualTo(5); // at 0, 5, 10, 15, 20 s
  }

  @Test
  void onAPipeTheLastReadingIsPrintedAtTheEnd() {
    ProgressDisplay d = ProgressDisplay.of(false, out, clock, Duration.ofSeconds(5));
    d.show(job("running", 1000L, 500, 0));
    d.show(job("running", 1000L, 501, 0)); // not due: same tenth, no time passed
    assertThat(text.toString().lines().count()).isEqualTo(1);
    d.finish();
    assertThat(text.toString().lines().toList().getLast()).startsWith("running 501/1000");
  }
}
