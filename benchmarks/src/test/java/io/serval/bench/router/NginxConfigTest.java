package io.serval.bench.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxConfigTest {
  @TempDir Path tmp;

  @Test
  void proxiesTheLoopbackPortToThePredictorOverKeepAliveConnections() {
    String conf = new NginxConfig(tmp, 18604, 18600, 64).render();
    assertThat(conf)
        .contains("worker_processes 1;")
        .contains("daemon off;")
        .contains("server 127.0.0.1:18600;")
        .contains("keepalive 64;")
        .contains("listen 127.0.0.1:18604;")
        .contains("proxy_pass http://predictor;")
        .contains("proxy_http_version 1.1;")
        .contains("proxy_set_header Connection \"\";");
  }

  @Test
  void keepsEveryFileItWritesUnderThePrefix() throws Exception {
    NginxConfig config = new NginxConfig(tmp.resolve("nginx"), 18604, 18600, 64);
    Path conf = config.write();
    String text = Files.readString(conf);
    String prefix = tmp.resolve("nginx").toAbsolutePath().toString();
    assertThat(text)
        .contains("pid " + prefix + "/nginx.pid;")
        .contains("error_log " + prefix + "/logs/error.log")
        .contains("proxy_temp_path " + prefix + "/tmp/proxy;")
        .contains("client_body_temp_path " + prefix + "/tmp/client_body;");
    assertThat(conf.getParent().resolve("logs")).isDirectory();
    assertThat(conf.getParent().resolve("tmp")).isDirectory();
  }

  @Test
  void refusesBadPortsAndKeepalive() {
    assertThatThrownBy(() -> new NginxConfig(tmp, 0, 18600, 64)).hasMessageContaining("ports");
    assertThatThrownBy(() -> new NginxConfig(tmp, 18604, 70000, 64)).hasMessageContaining("ports");
    assertThatThrownBy(() -> new NginxConfig(tmp, 18604, 18600, 0))
        .hasMessageContaining("keepalive");
  }
}
