package io.serval.predictor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.serval.testmodels.TestModels;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model downloads from a tiny HTTP server on 127.0.0.1: caching, atomic writes, sha256. */
class ModelFetcherTest {
  @TempDir Path dir;

  private final byte[] model = TestModels.addFp32(4);
  private final AtomicInteger downloads = new AtomicInteger();
  private HttpServer server;
  private String base;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/models/add.onnx",
        ex -> {
          downloads.incrementAndGet();
          ex.sendResponseHeaders(200, model.length);
          try (var out = ex.getResponseBody()) {
            out.write(model);
          }
        });
    server.createContext(
        "/missing.onnx",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ModelFetcher fetcher() {
    return new ModelFetcher(dir.resolve("cache"), Duration.ofSeconds(10));
  }

  @Test
  void downloadsOnceThenUsesTheCache() throws Exception {
    Path first = fetcher().fetch(base + "/models/add.onnx", Optional.empty());
    assertThat(Files.readAllBytes(first)).isEqualTo(model);
    assertThat(first.getParent()).isEqualTo(dir.resolve("cache"));
    assertThat(first.getFileName().toString()).endsWith("-add.onnx");

    Path second = fetcher().fetch(base + "/models/add.onnx", Optional.of(sha(model)));
    assertThat(second).isEqualTo(first);
    assertThat(downloads.get()).isEqualTo(1);
    try (var files = Files.list(dir.resolve("cache"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
  }

  @Test
  void digestMismatchIsRefusedAndNothingIsCached() throws Exception {
    String wrong = "0".repeat(64);
    assertThatThrownBy(() -> fetcher().fetch(base + "/models/add.onnx", Optional.of(wrong)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("sha256 " + sha(model))
        .hasMessageContaining(wrong + " was expected");
    try (var files = Files.list(dir.resolve("cache"))) {
      assertThat(files.count()).isZero();
    }
  }

  @Test
  void corruptCacheEntryIsDownloadedAgainWhenADigestIsConfigured() throws Exception {
    Path cached = fetcher().fetch(base + "/models/add.onnx", Optional.empty());
    Files.write(cached, new byte[] {1, 2, 3});
    Path again = fetcher().fetch(base + "/models/add.onnx", Optional.of(sha(model)));
    assertThat(Files.readAllBytes(again)).isEqualTo(model);
    assertThat(downloads.get()).isEqualTo(2);
  }

  @Test
  void httpErrorsAndMissingFilesAreReported() {
    assertThatThrownBy(() -> fetcher().fetch(base + "/missing.onnx", Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("HTTP 404");
    assertThatThrownBy(() -> fetcher().fetch("file:" + dir.resolve("nope.onnx"), Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> fetcher().fetch("ftp://x/model.onnx", Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("unsupported model uri");
  }

  @Test
  void localFilesAreUsedInPlaceAndVerified() throws Exception {
    Path file = TestModels.write(dir, "local.onnx", model);
    assertThat(fetcher().fetch("file:" + file, Optional.of(sha(model)))).isEqualTo(file);
    assertThat(fetcher().fetch(file.toUri().toString(), Optional.empty())).isEqualTo(file);
    assertThatThrownBy(() -> fetcher().fetch("file:" + file, Optional.of("f".repeat(64))))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("refusing to use it");
    assertThat(ModelFetcher.localPath("file:models/x.onnx")).isEqualTo(Path.of("models/x.onnx"));
  }

  private static String sha(byte[] bytes) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
