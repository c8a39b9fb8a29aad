package io.serval.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3LocationTest {

  @Test
  void readsTheBucketAndTheDecodedKey() {
    S3Location location = S3Location.of(URI.create("s3://my.bucket/models/v1/my%20model.onnx"));

    assertThat(location.bucket()).isEqualTo("my.bucket");
    assertThat(location.key()).isEqualTo("models/v1/my model.onnx");
  }

  @Test
  void refusesAUriWithoutKeyOrBucket() {
    assertThatThrownBy(() -> S3Location.of(URI.create("s3://bucket/")))
        .hasMessageContaining("needs a key");
    assertThatThrownBy(() -> S3Location.of(URI.create("s3:///key")))
        .hasMessageContaining("needs a bucket");
  }

  @Test
  void refusesCredentialsInTheUriWithoutRepeatingThem() {
    assertThatThrownBy(() -> S3Location.of(URI.create("s3://AKIA:hunter2@bucket/key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void refusesAQuery() {
    assertThatThrownBy(() -> S3Location.of(URI.create("s3://bucket/key?versionId=1")))
        .hasMessageContaining("no query");
  }
}
