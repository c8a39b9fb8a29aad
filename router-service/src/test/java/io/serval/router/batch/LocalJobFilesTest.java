package io.serval.router.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalJobFilesTest {
  private static final String ID = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void partsAreAppendedAfterWhatWasWrittenAndTheFileAppearsOnlyWhenClosed() throws IOException {
    LocalJobFiles files = new LocalJobFiles(dir);
    URI results = files.uri(ID, "results.jsonl");
    URI part0 = ChunkParts.of(results.toString(), 0, 1);
    URI part1 = ChunkParts.of(results.toString(), 1, 2);
    try (OutputStream p = files.create(part0)) {
      p.write(bytes("{\"index\":0}\n"));
    }
    try (OutputStream p = files.create(part1)) {
      p.write(bytes("{\"index\":1}\n"));
    }

    OutputStream out = files.create(results);
    out.write(bytes("head\n")); // still buffered: the append must come after it
    files.append(part0, out);
    files.append(part1, out);
    assertThat(files.path(results)).doesNotExist();
    out.close();

    assertThat(Files.readString(files.path(results)))
        .isEqualTo("head\n{\"index\":0}\n{\"index\":1}\n");
  }

  @Test
  void twoTaggedWritersOfTheSameResultDoNotWriteOverEachOther() throws IOException {
    LocalJobFiles files = new LocalJobFiles(dir);
    URI results = files.uri(ID, "results.jsonl");
    OutputStream a = files.create(results);
    OutputStream b = files.createTagged(results, "router-b");
    a.write(bytes("from a\n"));
    b.write(bytes("from b\n"));
    files.abort(b);
    b.close();
    a.close();

    assertThat(Files.readString(files.path(results))).isEqualTo("from a\n");
    assertThat(files.assemblesAhead(results)).isTrue();
    assertThatThrownBy(() -> files.createTagged(results, "../x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAbortedFileIsNotPublished() throws IOException {
    LocalJobFiles files = new LocalJobFiles(dir);
    URI results = files.uri(ID, "results.jsonl");
    OutputStream out = files.create(results);
    out.write(bytes("half"));
    files.abort(out);
    out.close();

    assertThat(files.path(results)).doesNotExist();
    try (var left = Files.list(files.directory(ID))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void deleteRemovesAFileOfTheJobDirectoryAndIgnoresAMissingOne() throws IOException {
    LocalJobFiles files = new LocalJobFiles(dir);
    URI part = ChunkParts.of(files.uri(ID, "results.jsonl").toString(), 3, 1);
    try (OutputStream p = files.create(part)) {
      p.write(bytes("x"));
    }

    files.delete(part);
    files.delete(part);

    assertThat(files.path(part)).doesNotExist();
    assertThatThrownBy(() -> files.delete(dir.resolveSibling("elsewhere").toUri()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
