package io.serval.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

  @Test
  void theOptionWinsThenTheEnvironmentThenTheRoutersOwnKeys() {
    assertThat(ApiKey.resolve("opt", "env", "r1,r2")).contains("opt");
    assertThat(ApiKey.resolve(null, "env", "r1,r2")).contains("env");
    assertThat(ApiKey.resolve(" ", "", "r1,r2")).contains("r1");
    assertThat(ApiKey.resolve(null, null, null)).isEqualTo(Optional.empty());
  }

  @Test
  void anEnvironmentsKeyComesAfterTheVariableAndBeforeTheRoutersOwnKeys() {
    assertThat(ApiKey.resolve(null, "var", "envkey", "r1")).contains("var");
    assertThat(ApiKey.resolve(null, null, "envkey", "r1")).contains("envkey");
    assertThat(ApiKey.resolve("opt", null, "envkey", "r1")).contains("opt");
    assertThat(ApiKey.resolve(null, null, null, "r1")).contains("r1");
  }

  @Test
  void refusesKeysThatCannotTravelAsAHeaderOrAListItem() {
    for (String bad : new String[] {"a b", "a,b", "caf\u00e9", "a\tb"}) {
      assertThatThrownBy(() -> ApiKey.resolve(bad, null, null))
          .isInstanceOfSatisfying(
              CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
          .hasMessageContaining("--api-key");
    }
  }
}
