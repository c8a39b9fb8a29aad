package io.serval.bench.start;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration of the cold-start harness: a predictor jar, whether the launch passes what the
 * build left beside it to start faster (as the operator's local runtime does with fast-start on),
 * and extra predictor settings.
 *
 * @param name the label in the tables
 * @param jar the predictor's quarkus-run.jar
 * @param fast pass the AOT cache and ONNX Runtime's native libraries found beside the jar
 * @param settings extra system properties for the predictor (e.g. serval.predictor.warmup=false)
 * @param jvmOptions extra JVM options of this variant (e.g. -XX:TieredStopAtLevel=1)
 */
public record StartVariant(
    String name, Path jar, boolean fast, Map<String, String> settings, List<String> jvmOptions) {

  public StartVariant {
    settings = Map.copyOf(settings);
    jvmOptions = List.copyOf(jvmOptions);
  }

  public StartVariant(String name, Path jar, boolean fast, Map<String, String> settings) {
    this(name, jar, fast, settings, List.of());
  }

  /**
   * Parses {@code NAME,JAR[,fast][,KEY=VALUE][,-JVMOPTION]...}; a KEY without a dot is a
   * serval.predictor key ({@code warmup=false} is {@code serval.predictor.warmup=false}); a part
   * that starts with '-' is a JVM option ({@code -XX:TieredStopAtLevel=1}).
   *
   * @throws IllegalArgumentException when it has no name or jar, or an unknown flag
   */
  public static StartVariant parse(String text, Path base) {
    String[] parts = text.split(",");
    if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException(
          "a variant is NAME,JAR[,fast][,KEY=VALUE]...; got '" + text + "'");
    }
    boolean fast = false;
    Map<String, String> settings = new LinkedHashMap<>();
    List<String> jvm = new ArrayList<>();
    for (int i = 2; i < parts.length; i++) {
      String p = parts[i].strip();
      int eq = p.indexOf('=');
      if (p.equals("fast")) {
        fast = true;
      } else if (p.startsWith("-")) {
        jvm.add(p);
      } else if (eq > 0) {
        String key = p.substring(0, eq);
        settings.put(key.contains(".") ? key : "serval.predictor." + key, p.substring(eq + 1));
      } else {
        throw new IllegalArgumentException(
            "unknown part '" + p + "' of variant '" + text + "' (fast, KEY=VALUE or -JVMOPTION)");
      }
    }
    return new StartVariant(parts[0].strip(), base.resolve(parts[1].strip()), fast, settings, jvm);
  }
}
