package io.serval.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileStorageTest extends ObjectStorageContract {

  @TempDir Path dir;
  private final LocalFileStorage storage = new LocalFileStorage();

  @Override
  ObjectStorage storage() {
    return storage;
  }

  @Override
  URI uriOf(String name) {
    return dir.resolve(name).toUri();
  }

  @Test
  void anUnfinishedFileIsNotVisibleUnderItsName() throws IOException {
    URI uri = uriOf("out.jsonl");
    try (UploadStream out = storage.create(uri)) {
      out.write(new byte[100]);
      assertThat(Files.exists(Path.of(uri))).isFalse();
    }
    assertThat(Files.size(Path.of(uri))).isEqualTo(100);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(Path.of(uri));
    }
  }

  @Test
  void aDirectoryIsNotAnObject() throws IOException {
    Files.createDirectories(dir.resolve("sub"));

    assertThat(storage.size(dir.resolve("sub").toUri())).isEmpty();
  }

  @Test
  void aPlainPathWithoutSchemeIsALocalFile() throws IOException {
    Path file = Files.writeString(dir.resolve("plain.txt"), "plain");

    assertThat(storage.size(URI.create(file.toString()))).contains(5L);
  }

  @Test
  void aNonLocalUriIsRefused() {
    assertThatThrownBy(() -> storage.size(URI.create("s3://bucket/key")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
