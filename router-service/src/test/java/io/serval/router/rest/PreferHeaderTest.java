package io.serval.router.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
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

  private static OptionalLong waitOf(String... values) {
    return PreferHeader.waitSeconds(List.of(values));
  }

  @Test
  void readsTheWaitPreferenceInSeconds() {
    assertThat(waitOf("wait=10")).hasValue(10);
    assertThat(waitOf("respond-async, Wait = 5")).hasValue(5);
    assertThat(waitOf("return=minimal", "wait=\"7\"; foo=bar")).hasValue(7);
    assertThat(waitOf("wait=0")).hasValue(0);
    assertThat(waitOf("wait=99999999999999999999999")).hasValue(Long.MAX_VALUE);
  }

  @Test
  void aWaitThatIsNotDeltaSecondsIsIgnored() {
    assertThat(waitOf()).isEmpty();
    assertThat(waitOf("respond-async")).isEmpty();
    assertThat(waitOf("wait")).isEmpty();
    assertThat(waitOf("wait=")).isEmpty();
    assertThat(waitOf("wait=-1")).isEmpty();
    assertThat(waitOf("wait=1.5")).isEmpty();
    assertThat(waitOf("wait=abc, wait=3")).hasValue(3);
    assertThat(waitOf("foo=\"wait=3\"")).isEmpty();
    assertThat(waitOf("waiting=3")).isEmpty();
    assertThat(waitOf("foo; wait=3")).isEmpty();
  }
}
