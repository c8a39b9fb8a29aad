package io.serval.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformTokenTest {

  @TempDir Path dir;

  @Test
  void matchesOnlyTheExactToken() {
    PlatformToken t = PlatformToken.of("0123456789abcdefXYZ", "test");
    assertThat(t.matches("0123456789abcdefXYZ")).isTrue();
    assertThat(t.matches("0123456789abcdefXY")).isFalse();
    assertThat(t.matches("0123456789abcdefXYZ0")).isFalse();
    assertThat(t.matches("")).isFalse();
    assertThat(t.matches(null)).isFalse();
    assertThat(t.bearer()).isEqualTo("Bearer 0123456789abcdefXYZ");
    assertThat(t.toString()).doesNotContain("0123456789abcdef");
  }

  @Test
  void shortOrEmptyTokensAreRefused() {
    assertThatThrownBy(() -> PlatformToken.of("short", "x"))
        .hasMessageContaining("shorter than 16");
    assertThatThrownBy(() -> PlatformToken.of("  ", "x")).hasMessageContaining("empty");
  }

  @Test
  void generatedFileIsOwnerOnlyAndKept() throws Exception {
    Path f = dir.resolve("sub/platform-token");
    assertThat(TokenFiles.createIfAbsent(f)).isTrue();
    assertThat(Files.getPosixFilePermissions(f))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    String first = Files.readString(f);
    assertThat(TokenFiles.createIfAbsent(f)).isFalse();
    assertThat(Files.readString(f)).isEqualTo(first);
    assertThat(PlatformToken.fromFile(f).matches(first)).isTrue();
    try (var left = Files.list(f.getParent())) {
      assertThat(left).containsExactly(f);
    }
  }

  @Test
  void serversFailFastWithoutAToken() {
    assertThatThrownBy(() -> PlatformToken.required(config(true, null, null), "operator"))
        .hasMessageContaining("serval.platform.token-file");
    assertThat(PlatformToken.required(config(false, null, null), "operator")).isEmpty();
    assertThatThrownBy(() -> PlatformToken.from(config(true, "0123456789abcdef", dir.resolve("t"))))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> PlatformToken.from(config(true, null, dir.resolve("missing"))))
        .hasMessageContaining("cannot read the platform token file");
    assertThat(PlatformToken.from(config(true, "0123456789abcdef", null)).orElseThrow().source())
        .isEqualTo("serval.platform.token");
  }

  private static PlatformAuthConfig config(boolean enabled, String token, Path file) {
    return new PlatformAuthConfig() {
      @Override
      public Optional<Path> tokenFile() {
        return Optional.ofNullable(file);
      }

      @Override
      public Optional<String> token() {
        return Optional.ofNullable(token);
      }

      @Override
      public boolean authEnabled() {
        return enabled;
      }
    };
  }
}
