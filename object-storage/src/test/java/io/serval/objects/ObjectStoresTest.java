package io.serval.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoresTest {

  @TempDir Path dir;

  @Test
  void picksTheStorageByScheme() {
    try (ObjectStores stores = new ObjectStores(S3Settings.defaults())) {
      assertThat(stores.storageFor(URI.create("file:///tmp/x")))
          .isInstanceOf(LocalFileStorage.class);
      assertThat(stores.storageFor(URI.create("/tmp/x"))).isInstanceOf(LocalFileStorage.class);
      assertThat(stores.storageFor(URI.create("s3://bucket/key")))
          .isInstanceOf(S3ObjectStorage.class);
      assertThatThrownBy(() -> stores.storageFor(URI.create("gs://bucket/key")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unsupported location scheme 'gs'");
    }
  }

  @Test
  void readsALocalFileGivenAsAPlainPath() throws IOException {
    Files.writeString(dir.resolve("items.jsonl"), "{}\n");

    try (ObjectStores stores = new ObjectStores(S3Settings.defaults())) {
      URI uri = ObjectUris.parse(dir.resolve("items.jsonl").toString());
      assertThat(uri.getScheme()).isEqualTo("file");
      assertThat(stores.size(uri)).contains(3L);
    }
  }

  @Test
  void parseKeepsS3Uris() {
    assertThat(ObjectUris.parse("s3://bucket/in/items.jsonl"))
        .isEqualTo(URI.create("s3://bucket/in/items.jsonl"));
  }
}
