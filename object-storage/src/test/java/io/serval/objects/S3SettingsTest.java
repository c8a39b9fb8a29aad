package io.serval.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

  @Test
  void anEmptyEnvironmentGivesTheDefaults() {
    assertThat(S3Settings.fromEnvironment(Map.of())).isEqualTo(S3Settings.defaults());
  }

  @Test
  void theEnvironmentRoundTrips() {
    S3Settings settings =
        S3Settings.defaults()
            .withEndpoint(URI.create("http://minio:9000"), true)
            .withKeyFiles(Path.of("/secrets/s3/id"), Path.of("/secrets/s3/secret"));

    Map<String, String> env = settings.toEnvironment();

    assertThat(env)
        .containsEntry("SERVAL_S3_ENDPOINT", "http://minio:9000")
        .containsEntry("SERVAL_S3_PATH_STYLE", "true")
        .containsEntry("SERVAL_S3_ACCESS_KEY_ID_FILE", "/secrets/s3/id")
        .containsEntry("SERVAL_S3_SECRET_ACCESS_KEY_FILE", "/secrets/s3/secret");
    assertThat(S3Settings.fromEnvironment(env)).isEqualTo(settings);
  }

  @Test
  void readsTheRegion() {
    assertThat(S3Settings.fromEnvironment(Map.of("SERVAL_S3_REGION", " eu-west-1 ")).region())
        .isEqualTo(Optional.of("eu-west-1"));
  }

  @Test
  void oneKeyFileWithoutTheOtherIsRefused() {
    assertThatThrownBy(
            () -> S3Settings.fromEnvironment(Map.of("SERVAL_S3_ACCESS_KEY_ID_FILE", "/id")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need both");
  }

  @Test
  void anEndpointWithCredentialsIsRefused() {
    assertThatThrownBy(
            () -> S3Settings.defaults().withEndpoint(URI.create("http://k:s@minio:9000"), true))
        .hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining("k:s");
  }

  @Test
  void aPartBelowS3sMinimumIsRefused() {
    assertThatThrownBy(() -> S3Settings.defaults().withPartSize(1024))
        .hasMessageContaining("at least 5242880");
  }
}
