package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** serval version and --version against a scripted platform, and against none. */
@CliTest
class VersionCommandTest {

  static FakePlatform platform;
  static Path home;

  @BeforeAll
  static void start() throws IOException {
    platform = new FakePlatform();
    home = Files.createTempDirectory("serval-home");
    System.setProperty("serval.home", home.toString());
  }

  @AfterAll
  static void stop() {
    platform.close();
    System.clearProperty("serval.home");
    TempDirs.delete(home);
  }

  @BeforeEach
  void reset() {
    platform.reset();
  }

  private static String metadata(String name, String version) {
    return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"extensions\":[]}";
  }

  private LaunchResult version(CliLauncher launcher, String url) {
    return launcher.launch(
        "version", "--url", url, "--token", "secret", "--router-url", url, "--autoscaler-url", url);
  }

  @Test
  void dashDashVersionPrintsTheBuildsVersion(CliLauncher launcher) {
    LaunchResult r = launcher.launch("--version");

    assertThat(r.exitCode()).isZero();
    // the filtered version.properties: the Maven project version, not the placeholder
    assertThat(r.getOutput()).matches("serval \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void printsEveryServicesVersionAndNoWarningWhenTheyAgree(CliLauncher launcher) {
    String v = VersionCommand.version();
    platform.on("GET /v1/version", 200, metadata("serval-operator", v));
    platform.on("GET /v2", 200, metadata("serval-router", v));

    LaunchResult r = version(launcher, platform.url());

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .containsPattern("cli\\s+" + v)
        .containsPattern("operator\\s+" + v + "\\s+" + platform.url())
        .containsPattern("router\\s+" + v)
        .containsPattern("autoscaler\\s+" + v);
    assertThat(r.getErrorOutput()).isEmpty();
    // the operator's version is behind its token like every /v1 call
    assertThat(platform.requests)
        .anySatisfy(
            q -> {
              assertThat(q.path()).isEqualTo("/v1/version");
              assertThat(q.header("Authorization")).isEqualTo("Bearer secret");
            });
  }

  @Test
  void warnsOnStderrWhenAServiceRunsAnotherVersionAndStillExitsZero(CliLauncher launcher) {
    String v = VersionCommand.version();
    platform.on("GET /v1/version", 200, metadata("serval-operator", v));
    platform.on("GET /v2", 200, metadata("serval-router", "9.9.9"));

    LaunchResult r = version(launcher, platform.url());

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput()).containsPattern("router\\s+9.9.9");
    assertThat(r.getErrorOutput()).contains("warning", "router 9.9.9").doesNotContain("operator");
  }

  @Test
  void anUnreachablePlatformIsSaidPlainlyAndExitsZero(CliLauncher launcher) throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }

    LaunchResult r = version(launcher, "http://127.0.0.1:" + closed);

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .containsPattern("operator\\s+unknown")
        .contains("operator: cannot reach the management API")
        .doesNotContain("Exception", "\tat ");
    assertThat(r.getErrorOutput()).isEmpty();
  }

  @Test
  void aPlatformTooOldToSayItsVersionIsSaidSoWithoutAWarning(CliLauncher launcher) {
    // no route for /v1/version or /v2: the fake answers 404, as a platform from before them would

    LaunchResult r = version(launcher, platform.url());

    assertThat(r.exitCode()).isZero();
    assertThat(r.getOutput())
        .containsPattern("operator\\s+unknown")
        .contains("router: it does not report its version");
    assertThat(r.getErrorOutput()).isEmpty();
  }

  @Test
  void unknownVerbIsAnError(CliLauncher launcher) {
    LaunchResult r = launcher.launch("no-such-verb");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.getErrorOutput()).contains("no-such-verb");
  }
}
