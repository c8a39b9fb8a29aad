package io.serval.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestLogTest {

  @Test
  void keepsAClientsPrintableRequestId() {
    assertThat(RequestLog.requestId("req-42/a.b")).isEqualTo("req-42/a.b");
  }

  @Test
  void makesUpAnIdWhenTheClientsIsMissingOrUnfitForALogLine() {
    for (String bad : new String[] {null, "", "two words", "line\nbreak", "é", "x".repeat(129)}) {
      String id = RequestLog.requestId(bad);
      assertThat(id).as("for %s", bad).matches("[0-9a-f]{16}");
    }
    assertThat(RequestLog.requestId("x".repeat(128))).hasSize(128);
  }

  @Test
  void newIdsDiffer() {
    assertThat(RequestLog.newRequestId()).isNotEqualTo(RequestLog.newRequestId());
  }
}
