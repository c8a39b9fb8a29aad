package io.serval.cli.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.output.Ages;
import io.serval.cli.output.Table;
import java.time.Instant;
import java.util.List;

/** Jobs as text: the table of {@code serval batch list} and the page of {@code batch get}. */
public final class JobText {

  private JobText() {}

  /** One line per job, newest first as the router lists them. */
  public static String table(List<JsonNode> jobs, Instant now) {
    if (jobs.isEmpty()) {
      return "no batch jobs (submit one: serval batch submit NAME --input items.jsonl)\n";
    }
    Table t = new Table("JOB", "API", "STATUS", "ITEMS", "FAILED", "AGE");
    for (JsonNode j : jobs) {
      JobState s = JobState.of(j);
      t.row(
          s.id(),
          s.api(),
          s.statusText(),
          s.done() + "/" + (s.total() == null ? "?" : s.total()),
          String.valueOf(s.failed()),
          Ages.since(s.createdAt(), now));
    }
    return t.render();
  }

  /** Every field of one job, one per line. */
  public static String describe(JsonNode job, Instant now) {
    JobState s = JobState.of(job);
    StringBuilder b = new StringBuilder();
    line(b, "job", s.id());
    line(b, "api", s.api());
    line(b, "status", s.statusText());
    line(
        b,
        "items",
        s.done()
            + "/"
            + (s.total() == null ? "? (the input is not read through yet)" : s.total())
            + " done: "
            + s.succeeded()
            + " succeeded, "
            + s.failed()
            + " failed");
    line(
        b,
        "settings",
        "batch size "
            + job.path("batchSize").asText("-")
            + ", parallelism "
            + job.path("parallelism").asText("-")
            + ", max retries "
            + job.path("maxRetries").asText("-"));
    line(b, "input", s.input());
    line(b, "output", s.output());
    line(b, "failures", s.failures());
    line(b, "created", when(s.createdAt(), now));
    line(b, "started", when(s.startedAt(), now));
    line(b, "finished", when(s.finishedAt(), now));
    if (s.error() != null) {
      line(b, "error", s.error());
    }
    return b.toString();
  }

  private static String when(String iso, Instant now) {
    return iso == null ? "-" : iso + " (" + Ages.since(iso, now) + " ago)";
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(String.format("%-9s %s", key, value == null ? "-" : value)).append('\n');
  }
}
