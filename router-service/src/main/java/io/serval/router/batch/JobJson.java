package io.serval.router.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serval.store.BatchJob;
import io.serval.store.JobLogLine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** A job's REST form (docs/async-and-batch.md, "Batch jobs"), and its log's. Pure. */
final class JobJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JobJson() {}

  static ObjectNode of(BatchJob j) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", j.id());
    o.put("api", j.api());
    o.put("status", j.status().wireName());
    ObjectNode items = o.putObject("items");
    if (j.total().isPresent()) {
      items.put("total", j.total().getAsLong());
    } else {
      items.putNull("total");
    }
    items.put("done", j.done());
    items.put("succeeded", j.succeeded());
    items.put("failed", j.failed());
    o.put("batchSize", j.job().batchSize());
    o.put("parallelism", j.job().parallelism());
    o.put("maxRetries", j.job().maxRetries());
    o.put("input", where(j.job().input()));
    o.put("output", where(j.job().output()));
    o.put("failures", where(j.job().failures()));
    o.put("createdAt", time(j.createdAt()));
    time(o, "startedAt", j.startedAt());
    time(o, "finishedAt", j.finishedAt());
    if (j.error().isPresent()) {
      o.put("error", j.error().get());
    } else {
      o.putNull("error");
    }
    return o;
  }

  static String list(List<BatchJob> jobs) {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode a = o.putArray("jobs");
    jobs.forEach(j -> a.add(of(j)));
    return o.toString();
  }

  /** The log as text: one event a line, its time first. */
  static String logs(List<JobLogLine> lines) {
    StringBuilder b = new StringBuilder();
    for (JobLogLine l : lines) {
      b.append(LOG_TIME.format(l.at())).append(' ').append(l.message().replace('\n', ' '));
      b.append('\n');
    }
    return b.toString();
  }

  /** "local" for a file in the router's job directory (its path is the router's business). */
  static String where(String uri) {
    return uri.startsWith("file:") ? "local" : uri;
  }

  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static void time(ObjectNode o, String field, Optional<Instant> t) {
    if (t.isPresent()) {
      o.put(field, time(t.get()));
    } else {
      o.putNull(field);
    }
  }
}
