package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** serval env, and --env on the verbs, against two scripted platforms. */
@CliTest
class EnvCommandTest {

  static FakePlatform prod;
  static FakePlatform other;
  static Path home;
  static Path prodToken;
  static Path prodKey;

  @BeforeAll
  static void start() throws IOException {
    prod = new FakePlatform();
    other = new FakePlatform();
    home = Files.createTempDirectory("serval-home");
    prodToken = home.resolve("prod-token");
    Files.writeString(prodToken, "prod-secret\n");
    prodKey = home.resolve("prod-key");
    Files.writeString(prodKey, "prod-api-key\n");
    // the token `serval up` keeps for the local platform: with an environment it must stay home
    Files.createDirectories(home.resolve("state"));
    Files.writeString(home.resolve("state/token"), "local-secret\n");
    System.setProperty("serval.home", home.toString());
  }

  @AfterAll
  static void stop() {
    prod.close();
    other.close();
    System.clearProperty("serval.home");
    TempDirs.delete(home);
  }

  @BeforeEach
  void reset() throws IOException {
    prod.reset();
    other.reset();
    Files.deleteIfExists(home.resolve("environments.yaml"));
    prod.on("GET /v1/apis", 200, "[]");
    prod.on("GET /v1/splitters", 200, "[]");
    other.on("GET /v1/apis", 200, "[]");
    other.on("GET /v1/splitters", 200, "[]");
  }

  @AfterEach
  void cleanUp() throws IOException {
    Files.deleteIfExists(home.resolve("environments.yaml"));
  }

  private LaunchResult addProd(CliLauncher launcher) {
    return launcher.launch(
        "env",
        "add",
        "prod",
        "--url",
        prod.url(),
        "--token-file",
        prodToken.toString(),
        "--router",
        prod.url() + "/",
        "--api-key-file",
        prodKey.toString());
  }

  @Test
  void addListUseRemove(CliLauncher launcher) throws IOException {
    assertThat(addProd(launcher).exitCode()).isZero();
    assertThat(launcher.launch("env", "add", "staging", "--url", other.url()).exitCode()).isZero();

    Path file = home.resolve("environments.yaml");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).doesNotContain("prod-secret", "prod-api-key");

    LaunchResult list = launcher.launch("env", "list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.getOutput())
        .contains("CURRENT", "NAME", "URL", "TOKEN FILE", prodToken.toString())
        .containsPattern("(?m)^\\s+prod\\s+" + prod.url())
        .containsPattern("(?m)^\\s+staging\\s+" + other.url())
        .doesNotContain("prod-secret", "prod-api-key");

    assertThat(launcher.launch("env", "use", "staging").exitCode()).isZero();
    assertThat(launcher.launch("env", "list").getOutput())
        .containsPattern("(?m)^\\*\\s+staging")
        .containsPattern("(?m)^\\s+prod");

    assertThat(launcher.launch("env", "remove", "staging").getOutput())
        .contains("no environment is current now");
    assertThat(launcher.launch("env", "list").getOutput())
        .doesNotContain("staging")
        .doesNotContain("*");
  }

  @Test
  void envSendsItsTokenToItsUrl(CliLauncher launcher) {
    addProd(launcher);

    LaunchResult r = launcher.launch("get", "--env", "prod");

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(prod.requests).isNotEmpty();
    assertThat(prod.requests)
        .allSatisfy(q -> assertThat(q.header("Authorization")).isEqualTo("Bearer prod-secret"));
  }

  @Test
  void theCurrentEnvironmentAppliesWithoutEnv(CliLauncher launcher) {
    addProd(launcher);
    launcher.launch("env", "use", "prod");

    LaunchResult r = launcher.launch("get");

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(prod.requests)
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q.header("Authorization")).isEqualTo("Bearer prod-secret"));
  }

  @Test
  void anotherUrlGetsNoEnvironmentToken(CliLauncher launcher) {
    addProd(launcher);

    LaunchResult r = launcher.launch("get", "--env", "prod", "--url", other.url());

    assertThat(other.requests).isNotEmpty();
    assertThat(other.requests).allSatisfy(q -> assertThat(q.header("Authorization")).isNull());
    assertThat(prod.requests).isEmpty();
    assertThat(r.getOutput() + r.getErrorOutput()).doesNotContain("prod-secret", "local-secret");
  }

  @Test
  void theApiKeyGoesToTheEnvironmentsRouterOnly(CliLauncher launcher) {
    addProd(launcher);
    String answer = "{\"model_name\":\"m\",\"outputs\":[]}";
    prod.on("POST /v2/models/m/infer", 200, answer);
    other.on("POST /v2/models/m/infer", 200, answer);
    String json = "{\"inputs\":[]}";

    launcher.launch("predict", "m", "--json", json, "--env", "prod");
    launcher.launch("predict", "m", "--json", json, "--env", "prod", "--router-url", other.url());

    assertThat(prod.requests)
        .filteredOn(q -> q.path().endsWith("/infer"))
        .singleElement()
        .satisfies(q -> assertThat(q.header("Authorization")).isEqualTo("Bearer prod-api-key"));
    assertThat(other.requests)
        .filteredOn(q -> q.path().endsWith("/infer"))
        .singleElement()
        .satisfies(q -> assertThat(q.header("Authorization")).isNull());
  }

  @Test
  void aFileOpenToOthersIsRefused(CliLauncher launcher) throws IOException {
    addProd(launcher);
    Path file = home.resolve("environments.yaml");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    LaunchResult list = launcher.launch("env", "list");
    LaunchResult get = launcher.launch("get", "--env", "prod");

    for (LaunchResult r : new LaunchResult[] {list, get}) {
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.getErrorOutput()).contains("open to others", "chmod 600 " + file);
    }
    assertThat(prod.requests).isEmpty();
  }

  @Test
  void badInputNamesTheField(CliLauncher launcher) {
    expectUsage(launcher.launch("env", "add", "Prod_1", "--url", prod.url()), "env add: NAME:");
    expectUsage(
        launcher.launch("env", "add", "prod", "--url", "ftp://x"),
        "env add: --url: must start with http:// or https://");
    expectUsage(
        launcher.launch(
            "env", "add", "prod", "--url", prod.url(), "--token-file", "/no/such/token"),
        "env add: --token-file: no such file /no/such/token");
    expectUsage(
        launcher.launch("env", "add", "prod", "--url", prod.url(), "--router", "http://"),
        "env add: --router:");
    expectUsage(launcher.launch("env", "use", "nope"), "env use: NAME: no environment nope");
    expectUsage(launcher.launch("get", "--env", "nope"), "--env: no environment nope");
    assertThat(home.resolve("environments.yaml")).doesNotExist();
  }

  private static void expectUsage(LaunchResult r, String message) {
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.getErrorOutput()).contains(message).doesNotContain("Exception", "\tat ");
  }
}
