package io.serval.bench.router;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An nginx configuration that reverse-proxies one loopback port to the predictor's HTTP port, the
 * baseline the router's overhead is compared with: one worker, in the foreground (so that the
 * harness owns it by PID), keep-alive connections to the upstream, and every file it writes (pid,
 * logs, temp folders) under {@code prefix}.
 *
 * @param prefix the folder given to {@code nginx -p}; holds pid, logs and temp folders
 * @param listenPort loopback port nginx listens on
 * @param upstreamPort the predictor's HTTP port on loopback
 * @param keepalive idle keep-alive connections to the upstream kept by the worker
 */
public record NginxConfig(Path prefix, int listenPort, int upstreamPort, int keepalive) {
  static final String HOST = "127.0.0.1";

  public NginxConfig {
    prefix = prefix.toAbsolutePath();
    if (listenPort < 1 || listenPort > 65535 || upstreamPort < 1 || upstreamPort > 65535) {
      throw new IllegalArgumentException(
          "ports must be in 1..65535, got listen " + listenPort + " upstream " + upstreamPort);
    }
    if (keepalive < 1) {
      throw new IllegalArgumentException("keepalive must be >= 1, got " + keepalive);
    }
  }

  public Path pidFile() {
    return prefix.resolve("nginx.pid");
  }

  public Path errorLog() {
    return prefix.resolve("logs/error.log");
  }

  public String render() {
    String p = prefix.toString();
    return String.join(
        "\n",
        "# Written by RouterBenchmark: the nginx baseline for the router's overhead.",
        "worker_processes 1;",
        "daemon off;",
        "master_process on;",
        "pid " + pidFile() + ";",
        "error_log " + errorLog() + " warn;",
        "events {",
        "  worker_connections 1024;",
        "}",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + p + "/tmp/client_body;",
        "  proxy_temp_path " + p + "/tmp/proxy;",
        "  fastcgi_temp_path " + p + "/tmp/fastcgi;",
        "  uwsgi_temp_path " + p + "/tmp/uwsgi;",
        "  scgi_temp_path " + p + "/tmp/scgi;",
        "  client_max_body_size 64m;",
        "  upstream predictor {",
        "    server " + HOST + ":" + upstreamPort + ";",
        "    keepalive " + keepalive + ";",
        "  }",
        "  server {",
        "    listen " + HOST + ":" + listenPort + ";",
        "    location / {",
        "      proxy_pass http://predictor;",
        "      proxy_http_version 1.1;",
        // An empty Connection header keeps the upstream connection open between requests.
        "      proxy_set_header Connection \"\";",
        "    }",
        "  }",
        "}",
        "");
  }

  /** Writes the configuration as {@code prefix/nginx.conf} and creates the folders it names. */
  public Path write() throws IOException {
    Files.createDirectories(prefix.resolve("logs"));
    Files.createDirectories(prefix.resolve("tmp"));
    return Files.writeString(prefix.resolve("nginx.conf"), render());
  }
}
