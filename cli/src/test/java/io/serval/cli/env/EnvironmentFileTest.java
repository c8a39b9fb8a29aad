package io.serval.cli.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentFileTest {

  @TempDir Path dir;

  private static Environment env(String name, String url) {
    return new Environment(name, url, Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void writesOwnerOnlyAndReadsBack() throws Exception {
    Path token = dir.resolve("t");
    EnvironmentFile f = new EnvironmentFile(dir.resolve("home/environments.yaml"));
    Environment prod =
        new Environment(
            "prod",
            "https://p",
            Optional.of(token),
            Optional.of("https://r"),
            Optional.of(dir.resolve("k")));
    f.write(Environments.NONE.with(prod).with(env("dev", "http://d")).using("prod"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path())))
        .isEqualTo("rw-------");
    Environments back = f.read();
    assertThat(back.currentEnvironment()).contains(prod);
    assertThat(back.byName().keySet()).containsExactly("dev", "prod");
  }

  @Test
  void aMissingFileIsNoEnvironments() {
    assertThat(new EnvironmentFile(dir.resolve("none.yaml")).read()).isEqualTo(Environments.NONE);
  }

  @Test
  void refusesAFileOthersCanReadOrWrite() throws Exception {
    EnvironmentFile f = new EnvironmentFile(dir.resolve("environments.yaml"));
    f.write(Environments.NONE.with(env("dev", "http://d")));
    for (String perms : new String[] {"rw-r-----", "rw----r--", "rw--w----"}) {
      Files.setPosixFilePermissions(f.path(), PosixFilePermissions.fromString(perms));
      assertThatThrownBy(f::read)
          .isInstanceOf(CliException.class)
          .hasMessageContaining("chmod 600 " + f.path())
          .extracting(e -> ((CliException) e).exitCode())
          .isEqualTo(ExitCode.USAGE);
    }
  }

  @Test
  void refusesAnOversizedFile() throws Exception {
    Path p = dir.resolve("environments.yaml");
    Files.createFile(
        p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(p, "#".repeat((int) EnvironmentFile.MAX_BYTES + 1));
    assertThatThrownBy(new EnvironmentFile(p)::read).hasMessageContaining("is over");
  }

  @Test
  void refusesAnEntryWithABadNameOrUrl() throws Exception {
    Path p = dir.resolve("environments.yaml");
    Files.createFile(
        p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(p, "environments:\n  Bad_Name:\n    url: http://h\n");
    assertThatThrownBy(new EnvironmentFile(p)::read).hasMessageContaining("environment Bad_Name");
    Files.writeString(p, "environments:\n  prod:\n    url: ftp://h\n");
    assertThatThrownBy(new EnvironmentFile(p)::read).hasMessageContaining("environment prod: url");
  }

  @Test
  void removingTheCurrentLeavesNoneCurrent() {
    Environments e = Environments.NONE.with(env("a", "http://a")).using("a").without("a");
    assertThat(e.current()).isEmpty();
  }

  @Test
  void theTokenIsReadOnlyForItsOwnUrl() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");
    Environment prod =
        new Environment(
            "prod", "https://p:8443", Optional.of(token), Optional.empty(), Optional.empty());
    assertThat(prod.tokenFor("https://p:8443/")).contains("s3cret");
    assertThat(prod.tokenFor("https://other:8443")).isEmpty();
    assertThat(prod.apiKeyFor("https://p:8443")).isEmpty();
  }
}
