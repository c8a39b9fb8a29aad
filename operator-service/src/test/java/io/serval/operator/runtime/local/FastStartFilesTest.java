package io.serval.operator.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.operator.control.DeployPlanner;
import io.serval.operator.spec.SpecFixtures;
import io.serval.operator.spec.SpecParser;
import io.serval.operator.state.RevisionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastStartFilesTest {
  private static final Path JAR = Path.of("/opt/predictor/quarkus-app/quarkus-run.jar");
  private static final Path CACHE = Path.of("/opt/predictor/quarkus-app/app.aot");
  private static final Path NATIVE = Path.of("/opt/predictor/quarkus-app/onnxruntime-native");

  /** A file system of the given files and non-empty directories, and one JDK version. */
  private static FastStartFiles.Probe probe(Set<Path> present, int javaFeature) {
    return new FastStartFiles.Probe() {
      @Override
      public boolean isFile(Path file) {
        return present.contains(file);
      }

      @Override
      public boolean isNonEmptyDirectory(Path dir) {
        return present.contains(dir);
      }

      @Override
      public OptionalInt javaFeatureVersion(String java) {
        return javaFeature == 0 ? OptionalInt.empty() : OptionalInt.of(javaFeature);
      }
    };
  }

  @Test
  void bothFilesOnJdk25GiveTheCacheAndTheNativePath() {
    FastStartFiles f = FastStartFiles.find(JAR, "java", probe(Set.of(CACHE, NATIVE), 25));
    assertThat(f.jvmOptions(List.of("--enable-native-access=ALL-UNNAMED")))
        .containsExactly("-XX:AOTCache=" + CACHE, "-Donnxruntime.native.path=" + NATIVE);
  }

  @Test
  void nothingBesideTheJarAddsNothing() {
    FastStartFiles f = FastStartFiles.find(JAR, "java", probe(Set.of(), 25));
    assertThat(f).isEqualTo(FastStartFiles.NONE);
    assertThat(f.jvmOptions(List.of())).isEmpty();
  }

  @Test
  void aJavaOlderThan25OrOfUnknownVersionGetsNoCacheButTheLibraries() {
    for (int feature : new int[] {21, 24, 0}) {
      FastStartFiles f = FastStartFiles.find(JAR, "java", probe(Set.of(CACHE, NATIVE), feature));
      assertThat(f.aotCache()).as("java %d", feature).isEmpty();
      assertThat(f.onnxRuntimeNative()).contains(NATIVE);
    }
  }

  @Test
  void optionsAlreadyConfiguredWin() {
    FastStartFiles f = new FastStartFiles(Optional.of(CACHE), Optional.of(NATIVE));
    assertThat(f.jvmOptions(List.of("-XX:AOTMode=off", "-Donnxruntime.native.path=/x"))).isEmpty();
    assertThat(f.jvmOptions(List.of("-XX:SharedArchiveFile=app.jsa")))
        .containsExactly("-Donnxruntime.native.path=" + NATIVE);
    assertThat(f.jvmOptions(List.of("-XX:AOTCache=/other.aot")))
        .containsExactly("-Donnxruntime.native.path=" + NATIVE);
  }

  @Test
  void theReleaseFileGivesTheFeatureVersion() {
    assertThat(FastStartFiles.releaseFeature("IMPLEMENTOR=\"Eclipse\"\nJAVA_VERSION=\"25.0.1\"\n"))
        .hasValue(25);
    assertThat(FastStartFiles.releaseFeature("JAVA_VERSION=\"21\"")).hasValue(21);
    assertThat(FastStartFiles.releaseFeature("JAVA_VERSION=\"1.8.0_402\"")).hasValue(8);
    assertThat(FastStartFiles.releaseFeature("IMPLEMENTOR=\"x\"")).isEmpty();
  }

  @Test
  void theRealProbeReadsTheJdkThisTestRunsOn(@TempDir Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    assertThat(FastStartFiles.FILES.javaFeatureVersion(java)).hasValue(Runtime.version().feature());
    assertThat(FastStartFiles.FILES.javaFeatureVersion(dir.resolve("bin/java").toString()))
        .isEmpty();
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThat(FastStartFiles.FILES.isNonEmptyDirectory(empty)).isFalse();
    Files.writeString(empty.resolve("libonnxruntime.so"), "");
    assertThat(FastStartFiles.FILES.isNonEmptyDirectory(empty)).isTrue();
  }

  @Test
  void theLaunchPutsTheOptionsAfterTheConfiguredOnesAndBeforeTheJar(@TempDir Path dir)
      throws Exception {
    Path app = Files.createDirectory(dir.resolve("quarkus-app"));
    Path jar = Files.writeString(app.resolve("quarkus-run.jar"), "");
    Files.writeString(app.resolve(FastStartFiles.AOT_CACHE), "");
    Files.createDirectory(app.resolve(FastStartFiles.ONNXRUNTIME_NATIVE));
    Files.writeString(app.resolve(FastStartFiles.ONNXRUNTIME_NATIVE).resolve("lib.so"), "");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    LocalSettings on = settings(jar, java, true);
    List<String> cmd =
        PredictorLaunch.of(on, "minilm", revision(), "minilm-x-0", 8000, 8001, on.fastStartFiles())
            .command();
    int configured = cmd.indexOf("--enable-native-access=ALL-UNNAMED");
    int cache = cmd.indexOf("-XX:AOTCache=" + app.resolve("app.aot"));
    int nativePath = cmd.indexOf("-Donnxruntime.native.path=" + app.resolve("onnxruntime-native"));
    assertThat(configured).isEqualTo(1);
    assertThat(Runtime.version().feature() >= 25 ? cache : 2).isEqualTo(2);
    assertThat(nativePath).isGreaterThan(configured).isLessThan(cmd.indexOf("-jar"));

    LocalSettings off = settings(jar, java, false);
    assertThat(off.fastStartFiles()).isEqualTo(FastStartFiles.NONE);
  }

  private static LocalSettings settings(Path jar, String java, boolean fastStart) {
    return new LocalSettings(
        jar,
        java,
        List.of("--enable-native-access=ALL-UNNAMED"),
        Optional.empty(),
        Path.of("."),
        "127.0.0.1",
        Duration.ofMillis(500),
        new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)),
        Duration.ofSeconds(60),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        true,
        List.of(Path.of(".")),
        List.of(),
        fastStart);
  }

  private static RevisionRecord revision() {
    return new DeployPlanner(true)
        .plan(new SpecParser().parse(SpecFixtures.api("minilm")), Map.of(), Map.of(), Instant.now())
        .getFirst()
        .api()
        .history()
        .getFirst();
  }
}
