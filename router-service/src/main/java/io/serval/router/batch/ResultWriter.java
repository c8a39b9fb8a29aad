package io.serval.router.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.store.ItemOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes results and failures lines from outcomes, handed in index order: a chunk's part of the
 * results file ({@link #part}), the failures file from the failed items ({@link #failures}). One
 * results line per item ({@code {"index":0,"status":"succeeded","response":{...}}} or {@code
 * {"index":17,"status":"failed","error":"..."}}) and one failures line per failed item ({@code
 * {"index":17,"error":"...","attempts":3}}). The response is copied as the API answered it, never
 * parsed again.
 */
final class ResultWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputStream results;
  private final OutputStream failures;
  private long last = -1;
  private long written;

  ResultWriter(OutputStream results, OutputStream failures) {
    this.results = results;
    this.failures = failures;
  }

  /** Results lines only: a chunk's part of the results file. */
  static ResultWriter part(OutputStream part) {
    return new ResultWriter(part, OutputStream.nullOutputStream());
  }

  /** Failures lines only: the failures file, from the failed items. */
  static ResultWriter failures(OutputStream failures) {
    return new ResultWriter(OutputStream.nullOutputStream(), failures);
  }

  /**
   * @throws IllegalArgumentException when outcomes come out of index order (or twice)
   */
  void write(ItemOutcome o) throws IOException {
    if (o.index() <= last) {
      throw new IllegalArgumentException(
          "outcome " + o.index() + " after " + last + ": outcomes must come in index order");
    }
    last = o.index();
    written++;
    if (o.succeeded()) {
      results.write(utf8("{\"index\":" + o.index() + ",\"status\":\"succeeded\",\"response\":"));
      results.write(o.response());
      results.write(utf8("}\n"));
      return;
    }
    String error = quote(o.error());
    results.write(
        utf8("{\"index\":" + o.index() + ",\"status\":\"failed\",\"error\":" + error + "}\n"));
    failures.write(
        utf8(
            "{\"index\":"
                + o.index()
                + ",\"error\":"
                + error
                + ",\"attempts\":"
                + o.attempts()
                + "}\n"));
  }

  /** Lines written to the results file. */
  long written() {
    return written;
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] utf8(String s) {
    // The error text may hold any character; Jackson quoted it, UTF-8 carries it.
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
