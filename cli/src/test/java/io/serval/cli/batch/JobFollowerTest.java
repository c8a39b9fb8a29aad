package io.serval.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class JobFollowerTest {

  final TestClock clock = new TestClock();
  final StringWriter text = new StringWriter();

  JobFollower follower(Supplier<JobState> read) {
    return new JobFollower(
        read,
        ProgressDisplay.of(false, new PrintWriter(text), clock, Duration.ofSeconds(5)),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        clock,
        clock::advance);
  }

  static Supplier<JobState> script(List<Object> readings) {
    Deque<Object> q = new ArrayDeque<>(readings);
    return () -> {
      Object next = q.size() > 1 ? q.poll() : q.peek();
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return (JobState) next;
    };
  }

  static JobState job(String status, long done) {
    return ProgressDisplayTest.job(status, 10L, done, 0);
  }

  static CliException unreachable() {
    return new CliException(ExitCode.UNREACHABLE, "cannot reach the router");
  }

  @Test
  void followsUntilTheJobHasFinished() throws InterruptedException {
    JobState done =
        follower(
                script(
                    List.of(
                        job("pending", 0),
                        job("running", 5),
                        job("running", 9),
                        job("succeeded", 10))))
            .follow();
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(text.toString()).contains("pending 0/10", "running 5/10", "succeeded 10/10");
  }

  @Test
  void waitsForARouterThatRestarts() throws InterruptedException {
    JobState done =
        follower(
                script(
                    List.of(job("running", 5), unreachable(), unreachable(), job("cancelled", 6))))
            .follow();
    assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void givesUpOnARouterGoneLongerThanItsPatience() {
    assertThatThrownBy(() -> follower(script(List.of(job("running", 5), unreachable()))).follow())
        .isInstanceOf(CliException.class)
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(ExitCode.UNREACHABLE);
  }

  @Test
  void otherErrorsStopAtOnce() {
    CliException gone = new CliException(ExitCode.NOT_FOUND, "no job");
    assertThatThrownBy(() -> follower(script(List.of(job("running", 5), gone))).follow())
        .isSameAs(gone);
  }

  @Test
  void theOutcomeGivesTheExitCode() {
    assertThat(JobOutcome.exitCode(ProgressDisplayTest.job("succeeded", 10L, 10, 0)))
        .isEqualTo(ExitCode.OK);
    assertThat(JobOutcome.exitCode(ProgressDisplayTest.job("succeeded", 10L, 10, 1)))
        .isEqualTo(ExitCode.ITEMS_FAILED);
    assertThat(JobOutcome.exitCode(ProgressDisplayTest.job("failed", null, 0, 0)))
        .isEqualTo(ExitCode.FAILED);
    assertThat(JobOutcome.exitCode(ProgressDisplayTest.job("cancelled", 10L, 4, 0)))
        .isEqualTo(ExitCode.FAILED);
    assertThat(ExitCode.ITEMS_FAILED).isNotIn(0, 1, 2, 3, 4, 5, 6, 7);
  }
}
