package io.serval.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every {@link ObjectStorage} does, run on local files and on a real S3 server. */
abstract class ObjectStorageContract {

  /** 12 MiB and a bit: over two parts of the 5 MiB part size the S3 tests use. */
  static final int LARGE = 12 * 1024 * 1024 + 12_345;

  abstract ObjectStorage storage();

  /** A URI for a new object of this storage. */
  abstract URI uriOf(String name);

  @Test
  void writesAnObjectAndReadsItBack() throws IOException {
    URI uri = uriOf("dir/hello.txt");
    try (UploadStream out = storage().create(uri)) {
      out.write("hello, ".getBytes(StandardCharsets.UTF_8));
      out.write("object".getBytes(StandardCharsets.UTF_8));
    }

    try (InputStream in = storage().open(uri)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello, object");
    }
    assertThat(storage().size(uri)).contains(13L);
    assertThat(storage().exists(uri)).isTrue();
  }

  @Test
  void deletesAnObjectAndADeleteOfAMissingOneIsNoFailure() throws IOException {
    URI uri = uriOf("deleted.txt");
    write(uri, "gone soon");

    storage().delete(uri);
    storage().delete(uri);

    assertThat(storage().exists(uri)).isFalse();
  }

  @Test
  void replacesAnExistingObject() throws IOException {
    URI uri = uriOf("replaced.txt");
    write(uri, "first version");
    write(uri, "second");

    try (InputStream in = storage().open(uri)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
    }
  }

  @Test
  void streamsAnObjectLargerThanAPartBothWays() throws Exception {
    URI uri = uriOf("large.bin");
    MessageDigest written = MessageDigest.getInstance("SHA-256");
    Random random = new Random(14);
    byte[] chunk = new byte[64 * 1024 + 7];
    try (UploadStream out = storage().create(uri)) {
      int left = LARGE;
      while (left > 0) {
        random.nextBytes(chunk);
        int n = Math.min(left, chunk.length);
        out.write(chunk, 0, n);
        written.update(chunk, 0, n);
        left -= n;
      }
    }

    MessageDigest read = MessageDigest.getInstance("SHA-256");
    long total = 0;
    try (InputStream in = storage().open(uri, LARGE)) {
      byte[] buffer = new byte[32 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        read.update(buffer, 0, n);
        total += n;
      }
    }
    assertThat(total).isEqualTo(LARGE);
    assertThat(read.digest()).isEqualTo(written.digest());
    assertThat(storage().size(uri)).contains((long) LARGE);
  }

  @Test
  void aMissingObjectIsNotFound() throws IOException {
    URI uri = uriOf("no-such-object.txt");

    assertThat(storage().size(uri)).isEmpty();
    assertThat(storage().exists(uri)).isFalse();
    assertThatThrownBy(() -> storage().open(uri).close())
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("no-such-object.txt");
  }

  @Test
  void aReadPastTheCallersLimitFails() throws IOException {
    URI uri = uriOf("limited.txt");
    write(uri, "0123456789");

    try (InputStream in = storage().open(uri, 10)) {
      assertThat(in.readAllBytes()).hasSize(10);
    }
    assertThatThrownBy(() -> storage().open(uri, 9).readAllBytes())
        .isInstanceOf(ObjectTooLargeException.class)
        .hasMessageContaining("limited.txt")
        .hasMessageContaining("limit of 9 bytes");
  }

  @Test
  void anAbortedUploadLeavesNothing() throws IOException {
    URI uri = uriOf("aborted.bin");
    try (UploadStream out = storage().create(uri)) {
      out.write(new byte[6 * 1024 * 1024]);
      out.abort();
    }

    assertThat(storage().exists(uri)).isFalse();
  }

  @Test
  void anAbortedReplacementKeepsTheOldObject() throws IOException {
    URI uri = uriOf("kept.txt");
    write(uri, "old");
    try (UploadStream out = storage().create(uri)) {
      out.write("new".getBytes(StandardCharsets.UTF_8));
      out.abort();
    }

    try (InputStream in = storage().open(uri)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("old");
    }
  }

  void write(URI uri, String content) throws IOException {
    try (UploadStream out = storage().create(uri)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
