package io.serval.cli.env;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvironmentNameTest {

  @Test
  void dnsLabelsAreNames() {
    assertThat(EnvironmentName.problem("prod")).isEmpty();
    assertThat(EnvironmentName.problem("eu-1")).isEmpty();
    assertThat(EnvironmentName.problem("a".repeat(63))).isEmpty();
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(EnvironmentName.problem("")).isPresent();
    assertThat(EnvironmentName.problem("Prod")).isPresent();
    assertThat(EnvironmentName.problem("-prod")).isPresent();
    assertThat(EnvironmentName.problem("prod-")).isPresent();
    assertThat(EnvironmentName.problem("a_b")).isPresent();
    assertThat(EnvironmentName.problem("../x")).isPresent();
    assertThat(EnvironmentName.problem("a".repeat(64))).contains("is longer than 63 characters");
  }
}
