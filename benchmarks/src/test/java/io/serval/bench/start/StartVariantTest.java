package io.serval.bench.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartVariantTest {
  private static final Path ROOT = Path.of("/repo");

  @Test
  void nameJarFlagAndSettings() {
    StartVariant v =
        StartVariant.parse(
            "light,app/quarkus-run.jar,fast,warmup=false,quarkus.x=1,-XX:TieredStopAtLevel=1",
            ROOT);
    assertThat(v.name()).isEqualTo("light");
    assertThat(v.jar()).isEqualTo(Path.of("/repo/app/quarkus-run.jar"));
    assertThat(v.fast()).isTrue();
    assertThat(v.settings())
        .isEqualTo(Map.of("serval.predictor.warmup", "false", "quarkus.x", "1"));
    assertThat(v.jvmOptions()).containsExactly("-XX:TieredStopAtLevel=1");
  }

  @Test
  void plainVariantAndAbsoluteJar() {
    StartVariant v = StartVariant.parse("before,/tmp/base/quarkus-run.jar", ROOT);
    assertThat(v.jar()).isEqualTo(Path.of("/tmp/base/quarkus-run.jar"));
    assertThat(v.fast()).isFalse();
    assertThat(v.settings()).isEmpty();
    assertThat(v.jvmOptions()).isEmpty();
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> StartVariant.parse("only-a-name", ROOT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StartVariant.parse("a,b.jar,quick", ROOT))
        .hasMessageContaining("unknown part 'quick'");
  }
}
