package io.serval.router.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/models/minilm/infer",
        "/v2/models/minilm/versions/3/infer",
        "/v2/models/minilm",
        "/v2/health/live",
        "/q/metrics",
        "/",
        "/v2/models/a%20b/infer",
        "/v2/models/caf%C3%A9/infer"
      })
  void acceptsCanonicalPaths(String path) {
    assertThat(RequestPaths.ambiguity(path)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/%6Dodels/minilm/infer",
        "/v2/models/%6dinilm/infer",
        "/v2//models/minilm/infer",
        "//v2/models/minilm/infer",
        "/v2/x/../models/minilm/infer",
        "/v2/./models/minilm/infer",
        "/v2/models/minilm/infer/..",
        "/v2/%2e%2e/v2/models/minilm/infer",
        "/v2/models;a=b/minilm/infer",
        "/v2/models/minilm;v=1/infer",
        "/v2/models/minilm%2Finfer",
        "/v2/models/minilm%5Cinfer",
        "/v2\\models/minilm/infer",
        "/v2/models/minilm/infer%",
        "/v2/models/minilm/infer%4",
        "/v2/models/minilm/infer%zz",
        "/v2/models/minilm/infer%00",
        "/v2/models/min%25ilm/infer",
        "v2/models/minilm/infer",
        ""
      })
  void refusesPathsThatOnlyMeanSomethingAfterNormalisation(String path) {
    assertThat(RequestPaths.ambiguity(path)).isNotNull();
  }

  @Test
  void onlyExactPathsAreOpen() {
    assertThat(RequestPaths.open("/v2/health/live")).isTrue();
    assertThat(RequestPaths.open("/q/health/ready")).isTrue();
    assertThat(RequestPaths.open("/V2/health/live")).isFalse();
    assertThat(RequestPaths.open("/v2/health/live/")).isFalse();
    assertThat(RequestPaths.open("/v2/models/minilm/infer")).isFalse();
    assertThat(RequestPaths.open("/v2/health")).isFalse();
  }
}
