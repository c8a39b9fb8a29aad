package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

@QuarkusMainTest
class VersionCommandTest {

  @Test
  @Launch({"version"})
  void printsVersion(LaunchResult result) {
    assertThat(result.getOutput()).startsWith("serval ");
  }

  @Test
  @Launch(
      value = {"no-such-verb"},
      exitCode = 2)
  void unknownVerbIsAnError(LaunchResult result) {
    assertThat(result.getErrorOutput()).contains("no-such-verb");
  }
}
