package io.serval.router.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreferHeaderTest {
  private static boolean async(String... values) {
    return PreferHeader.respondAsync(List.of(values));
  }

  @Test
  void findsRespondAsyncAloneAmongOthersAndInAnyCase() {
    assertThat(async("respond-async")).isTrue();
    assertThat(async("  Respond-Async  ")).isTrue();
    assertThat(async("return=minimal, respond-async")).isTrue();
    assertThat(async("respond-async, wait=100")).isTrue();
    assertThat(async("wait=5", "respond-async")).isTrue();
    assertThat(async("respond-async; foo=bar")).isTrue();
    assertThat(async("respond-async=\"\"")).isTrue();
  }

  @Test
  void otherPreferencesAndLookalikesAreNotIt() {
    assertThat(async()).isFalse();
    assertThat(async("")).isFalse();
    assertThat(async("return=minimal")).isFalse();
    assertThat(async("respond-asynchronously")).isFalse();
    assertThat(async("x-respond-async")).isFalse();
    assertThat(async("wait=10; note=respond-async")).isFalse();
  }

  @Test
  void commasInsideQuotedValuesDoNotSplitPreferences() {
    assertThat(async("foo=\"a, respond-async\"")).isFalse();
    assertThat(async("foo=\"a, \\\" respond-async\", respond-async")).isTrue();
    assertThat(async("foo=\"unterminated, respond-async")).isFalse();
  }
}
