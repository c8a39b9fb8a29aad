package io.serval.bench.start;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phases of one predictor start, read from its console log (timestamps to the millisecond)
 * against the instant the harness launched it. Works with the predictor before the start-up report
 * line existed (then sessions and the ONNX Runtime library are unknown, -1).
 *
 * @param main launch to Quarkus's main (the JVM's own start: "started in" counts from main)
 * @param boot Quarkus's main to the model load (Quarkus's static and runtime init)
 * @param model the model load: fetch, ONNX Runtime, sessions, warm-up, meters
 * @param ortLibrary ONNX Runtime's native library and environment (on its own thread when
 *     preloaded); -1 when the log does not say
 * @param sessions opening the sessions; -1 when the log does not say
 * @param warmup the warm-up runs
 * @param after the model loaded to Quarkus's "started" line
 * @param started launch to Quarkus's "started" line
 */
public record StartLog(
    long main,
    long boot,
    long model,
    long ortLibrary,
    long sessions,
    long warmup,
    long after,
    long started) {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final Pattern STAMP =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
  private static final Pattern STARTED = Pattern.compile(" started in (\\d+\\.\\d+)s");
  private static final Pattern LOADED = Pattern.compile("Model '.*' loaded from .* in (\\d+) ms");
  private static final Pattern WARMUP = Pattern.compile("Warm-up of model .* in (\\d+) ms");
  private static final Pattern SESSIONS = Pattern.compile("' ready .* sessions (\\d+) ms");
  private static final Pattern ORT = Pattern.compile("' ready .*ONNX Runtime library (\\d+) ms");

  /**
   * @param launchMillis epoch milliseconds just before the process was started
   * @param zone the zone the predictor's log timestamps are in
   * @throws IllegalArgumentException when the log lacks the model-loaded or started line
   */
  public static StartLog parse(List<String> lines, long launchMillis, ZoneId zone) {
    long startedAt = -1;
    long startedIn = -1;
    long loadedAt = -1;
    long loadMs = -1;
    long warmup = 0;
    long sessions = -1;
    long ort = -1;
    for (String line : lines) {
      Matcher stamp = STAMP.matcher(line);
      if (!stamp.find()) {
        continue;
      }
      long at = LocalDateTime.parse(stamp.group(1), TIME).atZone(zone).toInstant().toEpochMilli();
      Matcher m;
      if ((m = STARTED.matcher(line)).find() && startedAt < 0) {
        startedAt = at;
        startedIn = Math.round(Double.parseDouble(m.group(1)) * 1000);
      } else if ((m = LOADED.matcher(line)).find()) {
        loadedAt = at;
        loadMs = Long.parseLong(m.group(1));
      } else if ((m = WARMUP.matcher(line)).find()) {
        warmup += Long.parseLong(m.group(1));
      } else if ((m = SESSIONS.matcher(line)).find()) {
        sessions = Long.parseLong(m.group(1));
        Matcher o = ORT.matcher(line);
        ort = o.find() ? Long.parseLong(o.group(1)) : -1;
      }
    }
    if (startedAt < 0 || loadedAt < 0) {
      throw new IllegalArgumentException(
          "the log has no " + (startedAt < 0 ? "'started in'" : "'Model ... loaded'") + " line");
    }
    long mainAt = startedAt - startedIn;
    long loadStart = loadedAt - loadMs;
    return new StartLog(
        mainAt - launchMillis,
        loadStart - mainAt,
        loadMs,
        ort,
        sessions,
        warmup,
        startedAt - loadedAt,
        startedAt - launchMillis);
  }
}
