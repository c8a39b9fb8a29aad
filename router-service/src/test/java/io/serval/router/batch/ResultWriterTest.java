package io.serval.router.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.store.ItemOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResultWriterTest {
  private final ByteArrayOutputStream results = new ByteArrayOutputStream();
  private final ByteArrayOutputStream failures = new ByteArrayOutputStream();
  private final ResultWriter writer = new ResultWriter(results, failures);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyItemGetsAResultLineAndFailedOnesAFailureLineWithTheirAttempts() throws IOException {
    writer.write(ItemOutcome.success(0, bytes("{\"outputs\":[]}"), 1));
    writer.write(ItemOutcome.failure(1, "INVALID_ARGUMENT: bad \"shape\"\n", 0));
    writer.write(ItemOutcome.success(4, bytes("{}"), 2));

    assertThat(results.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            {"index":0,"status":"succeeded","response":{"outputs":[]}}
            {"index":1,"status":"failed","error":"INVALID_ARGUMENT: bad \\"shape\\"\\n"}
            {"index":4,"status":"succeeded","response":{}}
            """);
    assertThat(failures.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            {"index":1,"error":"INVALID_ARGUMENT: bad \\"shape\\"\\n","attempts":0}
            """);
    assertThat(writer.written()).isEqualTo(3);
  }

  @Test
  void outcomesOutOfOrderOrTwiceAreRefused() throws IOException {
    writer.write(ItemOutcome.success(2, bytes("{}"), 1));
    assertThatThrownBy(() -> writer.write(ItemOutcome.success(2, bytes("{}"), 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer.write(ItemOutcome.success(1, bytes("{}"), 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
