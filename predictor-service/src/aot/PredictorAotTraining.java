import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the predictor's AOT cache (JEP 483/514/515, JDK 25), run by the build
 * (predictor-service/pom.xml, profile aot-cache) as a single-file program: starts the packaged
 * predictor with -XX:AOTCacheOutput and the local runtime's JVM options, serving the example MiniLM
 * model, waits until it is ready, sends it a few REST requests, and stops it with SIGTERM; the JVM
 * writes the cache as it exits. The classes a replica loads and links on its way to ready (and the
 * profiles of its hot methods) then come from the cache.
 *
 * <p>The cache is optional: a failed training prints a warning, leaves no cache behind and does
 * not fail the build (replicas then start as without one).
 *
 * <p>Arguments: JAVA JAR OUTPUT MODEL NATIVE_DIR LOG (NATIVE_DIR: ONNX Runtime's pre-extracted
 * native libraries, used when it exists).
 */
public final class PredictorAotTraining {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(180);
  private static final int REQUESTS = 20;
  private static final String INFER_BODY =
      """
      {"inputs":[
       {"name":"input_ids","datatype":"INT64","shape":[1,8],"data":[101,7592,2088,2003,1037,3231,102,0]},
       {"name":"attention_mask","datatype":"INT64","shape":[1,8],"data":[1,1,1,1,1,1,1,0]},
       {"name":"token_type_ids","datatype":"INT64","shape":[1,8],"data":[0,0,0,0,0,0,0,0]}]}
      """;

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      throw new IllegalArgumentException("usage: JAVA JAR OUTPUT MODEL NATIVE_DIR LOG");
    }
    Path output = Path.of(args[2]);
    Path log = Path.of(args[5]);
    Files.deleteIfExists(output);
    long t0 = System.nanoTime();
    try {
      train(args[0], Path.of(args[1]), output, Path.of(args[3]), Path.of(args[4]), log);
      System.out.printf(
          "predictor AOT cache: %s (%d MB) trained in %d s%n",
          output, Files.size(output) >> 20, (System.nanoTime() - t0) / 1_000_000_000);
    } catch (Exception e) {
      Files.deleteIfExists(output);
      System.out.println(
          "[WARNING] predictor AOT cache not created ("
              + e.getMessage()
              + "; training log "
              + log
              + "): replicas start without it, only slower");
    }
  }

  private static void train(
      String java, Path jar, Path output, Path model, Path nativeDir, Path log) throws Exception {
    if (!Files.isRegularFile(model)) {
      throw new IOException("no model at " + model);
    }
    int http = freePort();
    int grpc = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    // the local runtime's default JVM options (LocalRuntimeConfig.jvmArgs): a cache trained under
    // other options may be refused
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    cmd.add("-XX:AOTCacheOutput=" + output.toAbsolutePath());
    if (Files.isDirectory(nativeDir)) {
      cmd.add("-Donnxruntime.native.path=" + nativeDir.toAbsolutePath());
    }
    Path modelDir = model.toAbsolutePath().getParent();
    cmd.add("-Dserval.predictor.model.uri=" + model.toAbsolutePath().toUri());
    cmd.add("-Dserval.predictor.model.name=training");
    cmd.add("-Dserval.predictor.model-fetch.file-roots=" + modelDir);
    cmd.add("-Dquarkus.http.host=127.0.0.1");
    cmd.add("-Dquarkus.http.port=" + http);
    cmd.add("-Dquarkus.grpc.server.host=127.0.0.1");
    cmd.add("-Dquarkus.grpc.server.port=" + grpc);
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      String base = "http://127.0.0.1:" + http;
      awaitReady(p, client, URI.create(base + "/v2/health/ready"));
      HttpRequest infer =
          HttpRequest.newBuilder(URI.create(base + "/v2/models/training/infer"))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(INFER_BODY))
              .build();
      for (int i = 0; i < REQUESTS; i++) {
        int status = client.send(infer, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
          throw new IOException("inference request answered " + status);
        }
      }
      for (String path : List.of("/v2/models/training", "/v2/health/live", "/q/metrics")) {
        client.send(
            HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
    } catch (Exception e) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      throw e;
    }
    // SIGTERM: a normal JVM exit, at which the cache is written
    p.destroy();
    if (!p.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("the training JVM did not exit within " + EXIT_TIMEOUT);
    }
    if (!Files.isRegularFile(output)) {
      throw new IOException("the training JVM exited (" + p.exitValue() + ") without a cache");
    }
  }

  private static void awaitReady(Process p, HttpClient client, URI ready) throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("the predictor exited (" + p.exitValue() + ") before ready");
      }
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // poll again
      }
      Thread.sleep(100);
    }
    throw new IOException("the predictor was not ready within " + READY_TIMEOUT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
