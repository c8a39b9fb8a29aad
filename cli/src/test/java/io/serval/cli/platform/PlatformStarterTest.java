package io.serval.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks before anything starts; a launcher that cannot start anything proves none ran. */
class PlatformStarterTest {

  @TempDir Path root;
  @TempDir Path homeDir;

  private final StringWriter out = new StringWriter();

  private PlatformStarter starter() {
    ServalHome home = new ServalHome(homeDir);
    return new PlatformStarter(
        root,
        home,
        new ServiceLauncher("/nonexistent/java", List.of(), root),
        new PrintWriter(out));
  }

  private void fakeJars() throws IOException {
    for (String m :
        List.of("operator-service", "router-service", "autoscaler-service", "predictor-service")) {
      Path jar = root.resolve(m).resolve("target/quarkus-app/quarkus-run.jar");
      Files.createDirectories(jar.getParent());
      Files.writeString(jar, "");
    }
  }

  @Test
  void missingJarsSayHowToBuildThem() {
    assertThatThrownBy(() -> starter().up(null, Duration.ofSeconds(5)))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("not built yet: " + root.resolve("operator-service"))
        .hasMessageContaining("./mvnw -B install -DskipTests")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCode.FAILED));
  }

  @Test
  void aBusyPortStopsTheStartAndSuggestsAnOffset() throws IOException {
    fakeJars();
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(0));
      int offset = busy.getLocalPort() - Ports.DEFAULT.routerHttp();

      assertThatThrownBy(() -> starter().up(offset, Duration.ofSeconds(5)))
          .isInstanceOf(CliException.class)
          .hasMessageContaining(
              "port " + busy.getLocalPort() + " (router HTTP) is already in use by another program")
          .hasMessageContaining("./serval up --port-offset 1000");
    }
    assertThat(homeDir.resolve("platform.json")).doesNotExist();
  }

  @Test
  void thePlatformTokenIsGeneratedOwnerOnlyBeforeAnyServiceStartsAndThenKept() throws Exception {
    fakeJars();
    int offset;
    try (ServerSocket free = new ServerSocket()) {
      free.bind(new InetSocketAddress(0));
      offset = free.getLocalPort() - Ports.DEFAULT.routerHttp();
    }
    // This launcher cannot start anything: up fails, after the token was written.
    assertThatThrownBy(() -> starter().up(offset, Duration.ofSeconds(5)))
        .isInstanceOf(RuntimeException.class);
    Path token = homeDir.resolve("platform-token");
    String first = Files.readString(token).trim();
    assertThat(first).hasSizeGreaterThanOrEqualTo(40);
    assertThat(Files.getPosixFilePermissions(token))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThatThrownBy(() -> starter().up(offset, Duration.ofSeconds(5)))
        .isInstanceOf(RuntimeException.class);
    assertThat(Files.readString(token).trim()).isEqualTo(first);
  }

  @Test
  void aPlatformThatIsUpIsLeftAsItIs() {
    ProcessHandle self = ProcessHandle.current();
    var p = new PlatformState.ServiceProcess(self.pid(), Processes.startOf(self), "log");
    Ports ports = Ports.withOffset(1);
    new PlatformState(
            root.toString(),
            ports,
            Map.of(
                PlatformLayout.OPERATOR, p, PlatformLayout.ROUTER, p, PlatformLayout.AUTOSCALER, p))
        .write(homeDir.resolve("platform.json"));

    var result = starter().up(null, Duration.ofSeconds(5));

    assertThat(result.alreadyUp()).isTrue();
    assertThat(result.state().ports()).isEqualTo(ports);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aRecycledPidIsNotMistakenForTheService() {
    ProcessHandle self = ProcessHandle.current();

    assertThat(Processes.find(self.pid(), Processes.startOf(self))).isPresent();
    assertThat(Processes.find(self.pid(), "2001-01-01T00:00:00Z")).isEmpty();
  }

  @Test
  void offsetsOutsideThePortRangeAreRefused() {
    assertThatThrownBy(() -> Ports.withOffset(60000)).hasMessageContaining("outside 1024..65535");
    assertThat(Ports.withOffset(1000).routerHttp()).isEqualTo(9080);
  }
}
