package io.serval.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.serval.cli.platform.PlatformState;
import io.serval.cli.platform.PlatformState.ServiceProcess;
import io.serval.cli.platform.Ports;
import io.serval.cli.platform.ServalHome;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The training run of the CLI's AOT cache (the build runs it with {@code -XX:AOTCacheOutput}): the
 * commands people run most, in one JVM, so that the classes they load are in the cache. It starts a
 * small fake platform in this JVM for the commands that call one, answers an absent one too (the
 * unreachable path), and prints nothing: the commands' output is discarded.
 */
public final class AotTraining {

  private static final String VERSION = "{\"name\":\"serval\",\"version\":\"0.0.0-training\"}";
  private static final String API =
      """
      {"apiVersion":"serving.serval.io/v1alpha1","kind":"RealtimeApi",
       "metadata":{"name":"m","generation":1,"creationTimestamp":"2026-01-01T00:00:00Z"},
       "spec":{"model":{"uri":"file:models/m.onnx","platform":"onnx"}},
       "status":{"observedGeneration":1,"conditions":[],
         "replicas":{"requested":1,"ready":1,"upToDate":1},"revisions":[],
         "endpoint":"http://localhost:8080/v2/models/m"}}
      """;

  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    Path home = Files.createTempDirectory("serval-aot-training");
    // the developer's ~/.serval (environments, token, ports) stays out of the training
    System.setProperty("serval.home", home.toString());
    HttpServer server = fakePlatform();
    int port = server.getAddress().getPort();
    String url = "http://127.0.0.1:" + port;
    // as after `serval up`: the ports in platform.json and the operator's token, which the commands
    // below without --url read (their JSON binding is part of most commands' start)
    ServalHome servalHome = new ServalHome(home);
    new PlatformState(
            home.toString(),
            new Ports(port, 1, port, 1, port, 1),
            Map.of("operator", new ServiceProcess(1, "2026-01-01T00:00:00Z", "operator.log")))
        .write(servalHome.platformFile());
    Files.createDirectories(servalHome.stateDir());
    Files.writeString(servalHome.tokenFile(), "t");
    String absent = "http://127.0.0.1:" + closedPort();
    PrintStream out = System.out;
    PrintStream err = System.err;
    try {
      PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
      System.setOut(discard);
      System.setErr(discard);
      List<List<String>> commands =
          List.of(
              List.of("--help"),
              List.of("get", "--help"),
              List.of("--version"),
              List.of("get"),
              List.of("get", "--url", url, "--token", "t", "--autoscaler-url", url),
              List.of("get", "m", "-o", "yaml", "--url", url, "--token", "t"),
              List.of("get", "m", "-o", "json", "--url", url, "--token", "t"),
              List.of("describe", "m", "--url", url, "--token", "t", "--autoscaler-url", url),
              List.of("get", "--url", absent, "--token", "t"),
              List.of("version"),
              List.of("no-such-verb"));
      for (List<String> command : commands) {
        var cl = ServalMain.commandLine();
        cl.setOut(new PrintWriter(discard));
        cl.setErr(new PrintWriter(discard));
        cl.execute(command.toArray(String[]::new));
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      server.stop(0);
      try (var files = Files.walk(home)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static HttpServer fakePlatform() throws IOException {
    Map<String, String> answers =
        Map.of(
            "/v1/apis", "[" + API + "]",
            "/v1/splitters", "[]",
            "/v1/apis/m", API,
            "/v1/version", VERSION,
            "/v2", VERSION);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body = answers.get(exchange.getRequestURI().getPath());
          answer(exchange, body == null ? 404 : 200, body == null ? "{\"error\":\"no\"}" : body);
        });
    server.start();
    return server;
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
