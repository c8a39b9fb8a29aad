package io.serval.cli.env;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlsTest {

  @Test
  void sameServerDespiteCaseDefaultPortAndTrailingSlash() {
    assertThat(Urls.sameOrigin("https://Serval.Example.com", "https://serval.example.com:443/"))
        .isTrue();
    assertThat(Urls.sameOrigin("http://h:8090/api/", "http://h:8090/api")).isTrue();
  }

  @Test
  void anyOtherSchemeHostPortOrPathIsAnotherServer() {
    assertThat(Urls.sameOrigin("https://h", "http://h")).isFalse();
    assertThat(Urls.sameOrigin("http://h:8090", "http://h:8091")).isFalse();
    assertThat(Urls.sameOrigin("http://h", "http://h.evil.com")).isFalse();
    assertThat(Urls.sameOrigin("http://h/a", "http://h/b")).isFalse();
    assertThat(Urls.sameOrigin("http://h", null)).isFalse();
    assertThat(Urls.sameOrigin("not a url", "not a url")).isFalse();
  }

  @Test
  void anEnvironmentUrlIsHttpWithAHostAndNothingSecret() {
    assertThat(Urls.problem("https://serval.example.com:8443/x")).isEmpty();
    assertThat(Urls.problem("ftp://h")).contains("must start with http:// or https://");
    assertThat(Urls.problem("http://")).isPresent();
    assertThat(Urls.problem("http://user:pw@h")).isPresent();
    assertThat(Urls.problem("http://h?token=x")).isPresent();
  }
}
