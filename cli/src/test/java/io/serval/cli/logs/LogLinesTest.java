package io.serval.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {

  @Test
  void groupsByReplica() {
    var byReplica = LogLines.byReplica("a-r1-0 | x\na-r1-1 | y\na-r1-0 | z\n");

    assertThat(byReplica.keySet()).containsExactly("a-r1-0", "a-r1-1");
    assertThat(byReplica.get("a-r1-0")).containsExactly("a-r1-0 | x", "a-r1-0 | z");
  }

  @Test
  void aSlidingWindowYieldsOnlyTheLinesAfterThePreviousEnd() {
    assertThat(LogLines.newLines(List.of("1", "2", "3"), List.of("2", "3", "4", "5")))
        .containsExactly("4", "5");
  }

  @Test
  void aWiderWindowThatReachesFurtherBackYieldsOnlyTheNewLines() {
    assertThat(LogLines.newLines(List.of("3", "4"), List.of("1", "2", "3", "4", "5")))
        .containsExactly("5");
  }

  @Test
  void nothingNewYieldsNothing() {
    assertThat(LogLines.newLines(List.of("1", "2"), List.of("1", "2"))).isEmpty();
  }

  @Test
  void aLogThatMovedOnPastTheWindowIsAllNew() {
    assertThat(LogLines.newLines(List.of("1", "2"), List.of("7", "8"))).containsExactly("7", "8");
  }

  @Test
  void replicaFilterTakesAnIndexOrAnId() {
    assertThat(LogLines.replicaFilter("1").test("a-r1-1")).isTrue();
    assertThat(LogLines.replicaFilter("1").test("a-r1-11")).isFalse();
    assertThat(LogLines.replicaFilter("a-r1-0").test("a-r1-0")).isTrue();
    assertThat(LogLines.replicaFilter(null).test("anything")).isTrue();
  }
}
