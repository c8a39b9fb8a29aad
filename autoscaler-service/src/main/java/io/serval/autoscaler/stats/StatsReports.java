package io.serval.autoscaler.stats;

import io.serval.proto.control.ApiSample;
import io.serval.proto.control.StatsReport;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Checks a router's report and reads the in-flight count per API out of it. */
public final class StatsReports {

  private StatsReports() {}

  /**
   * The in-flight count per API. {@code in_flight} is used when set; a router that fills only
   * {@code queued} and {@code executing} gets their sum.
   *
   * @throws IllegalArgumentException naming the router and the field that is wrong
   */
  public static Map<String, Double> inFlightByApi(StatsReport report) {
    String where = "StatsReport from router '" + report.getRouterId() + "'";
    if (report.getRouterId().isBlank()) {
      throw new IllegalArgumentException("StatsReport.router_id must not be empty");
    }
    if (report.getTimestampMillis() <= 0) {
      throw new IllegalArgumentException(
          where + ": timestamp_millis must be > 0, got " + report.getTimestampMillis());
    }
    Map<String, Double> byApi = new HashMap<>();
    for (int i = 0; i < report.getSamplesCount(); i++) {
      ApiSample s = report.getSamples(i);
      String field = where + ": samples[" + i + "]";
      if (s.getApi().isBlank()) {
        throw new IllegalArgumentException(field + ".api must not be empty");
      }
      double inFlight = s.getInFlight();
      if (!Double.isFinite(inFlight) || inFlight < 0) {
        throw new IllegalArgumentException(
            field + ".in_flight must be a finite number >= 0, got " + inFlight);
      }
      if (s.getQueued() < 0 || s.getExecuting() < 0) {
        throw new IllegalArgumentException(
            field
                + ".queued and .executing must be >= 0, got "
                + s.getQueued()
                + " and "
                + s.getExecuting());
      }
      if (inFlight == 0) {
        inFlight = s.getQueued() + s.getExecuting();
      }
      byApi.merge(s.getApi(), inFlight, Double::sum);
    }
    return byApi;
  }

  /**
   * The async requests waiting in the store per API ({@code async_pending}), as this router read
   * them; an API reported twice counts its larger reading.
   *
   * @throws IllegalArgumentException naming the router and the field that is wrong
   */
  public static Map<String, Long> asyncPendingByApi(StatsReport report) {
    Map<String, Long> byApi = new HashMap<>();
    for (int i = 0; i < report.getSamplesCount(); i++) {
      ApiSample s = report.getSamples(i);
      if (s.getAsyncPending() < 0) {
        throw new IllegalArgumentException(
            "StatsReport from router '"
                + report.getRouterId()
                + "': samples["
                + i
                + "].async_pending must be >= 0, got "
                + s.getAsyncPending());
      }
      if (s.getAsyncPending() > 0) {
        byApi.merge(s.getApi(), s.getAsyncPending(), Math::max);
      }
    }
    return byApi;
  }

  public static Instant sampleEnd(StatsReport report) {
    return Instant.ofEpochMilli(report.getTimestampMillis());
  }
}
