package io.serval.operator.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * What the predictor's build leaves next to its runner jar to start replicas faster, and the JVM
 * options that use it (docs/benchmarks.md, "Replica cold start"):
 *
 * <ul>
 *   <li>{@code app.aot}, the JDK's AOT cache (JDK 25+, trained by the build): the classes a replica
 *       loads on its way to ready come from it, linked. Passed as {@code -XX:AOTCache} only when
 *       the replica's java is 25 or newer (older ones refuse the option and would not start). The
 *       predictor's build empties the directory before it trains a new one, so a cache never
 *       outlives its jars; a JVM that cannot map one starts without it.
 *   <li>{@code onnxruntime-native/}, ONNX Runtime's native libraries extracted by the build: loaded
 *       in place ({@code -Donnxruntime.native.path}) instead of being copied out of the jar at
 *       every start.
 * </ul>
 *
 * Either is used only when present, and never over the same option in the configured JVM options.
 *
 * @param aotCache the AOT cache to pass
 * @param onnxRuntimeNative the directory of ONNX Runtime's native libraries to pass
 */
public record FastStartFiles(Optional<Path> aotCache, Optional<Path> onnxRuntimeNative) {
  /** The AOT cache's name beside the runner jar (Quarkus's own name for it). */
  public static final String AOT_CACHE = "app.aot";

  /** The directory of ONNX Runtime's native libraries beside the runner jar. */
  public static final String ONNXRUNTIME_NATIVE = "onnxruntime-native";

  /** The first JDK whose {@code -XX:AOTCache} reads the caches JDK 25 writes. */
  static final int AOT_CACHE_JDK = 25;

  /** Nothing: replicas start as the configured options say. */
  public static final FastStartFiles NONE = new FastStartFiles(Optional.empty(), Optional.empty());

  /** What the look-up needs from the file system, apart so that it can be tested without one. */
  public interface Probe {
    boolean isFile(Path file);

    /** A directory with at least one file in it. */
    boolean isNonEmptyDirectory(Path dir);

    /** The feature version (25 for 25.0.1) of the JDK whose launcher is {@code java}. */
    OptionalInt javaFeatureVersion(String java);
  }

  /** The files beside {@code predictorJar} that the replica's {@code java} can use. */
  public static FastStartFiles find(Path predictorJar, String java, Probe probe) {
    Path dir = predictorJar.toAbsolutePath().getParent();
    if (dir == null) {
      return NONE;
    }
    Path cache = dir.resolve(AOT_CACHE);
    Optional<Path> aot =
        probe.isFile(cache) && probe.javaFeatureVersion(java).orElse(0) >= AOT_CACHE_JDK
            ? Optional.of(cache)
            : Optional.empty();
    Path nativeDir = dir.resolve(ONNXRUNTIME_NATIVE);
    Optional<Path> ort =
        probe.isNonEmptyDirectory(nativeDir) ? Optional.of(nativeDir) : Optional.empty();
    return new FastStartFiles(aot, ort);
  }

  /** The options to add after {@code configured}; none that {@code configured} already sets. */
  public List<String> jvmOptions(List<String> configured) {
    List<String> out = new ArrayList<>();
    if (aotCache.isPresent()
        && configured.stream()
            .noneMatch(
                o ->
                    o.startsWith("-XX:AOTCache")
                        || o.startsWith("-XX:AOTMode")
                        || o.startsWith("-XX:SharedArchiveFile"))) {
      out.add("-XX:AOTCache=" + aotCache.get());
    }
    if (onnxRuntimeNative.isPresent()
        && configured.stream().noneMatch(o -> o.startsWith("-Donnxruntime.native.path="))) {
      out.add("-Donnxruntime.native.path=" + onnxRuntimeNative.get());
    }
    return List.copyOf(out);
  }

  /** The real file system, and the JDK's {@code release} file for its version. */
  public static final Probe FILES =
      new Probe() {
        @Override
        public boolean isFile(Path file) {
          return Files.isRegularFile(file);
        }

        @Override
        public boolean isNonEmptyDirectory(Path dir) {
          if (!Files.isDirectory(dir)) {
            return false;
          }
          try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
          } catch (IOException e) {
            return false;
          }
        }

        @Override
        public OptionalInt javaFeatureVersion(String java) {
          Path home = Path.of(java).toAbsolutePath().getParent();
          home = home == null ? null : home.getParent();
          if (home == null) {
            return OptionalInt.empty();
          }
          try {
            return releaseFeature(Files.readString(home.resolve("release")));
          } catch (IOException | RuntimeException e) {
            // a launcher outside a JDK layout (a wrapper script): no cache rather than a refusal
            return OptionalInt.empty();
          }
        }
      };

  /** The feature version in a JDK's {@code release} file ({@code JAVA_VERSION="25.0.1"}). */
  static OptionalInt releaseFeature(String release) {
    for (String line : release.split("\\R")) {
      if (line.startsWith("JAVA_VERSION=")) {
        String v = line.substring("JAVA_VERSION=".length()).replace("\"", "").strip();
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
          end++;
        }
        if (end == 0) {
          return OptionalInt.empty();
        }
        int major = Integer.parseInt(v.substring(0, end));
        // "1.8.0_402": the old scheme, before 9
        return OptionalInt.of(major == 1 ? 8 : major);
      }
    }
    return OptionalInt.empty();
  }
}
