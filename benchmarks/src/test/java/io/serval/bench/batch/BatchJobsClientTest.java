package io.serval.bench.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.bench.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's side of the jobs contract, against a stand-in server. */
class BatchJobsClientTest {

  @Test
  void submitsTheItemsAsNdjsonAndPollsUntilTheJobHasFinished(@TempDir Path dir) throws Exception {
    Workload tiny = Workload.named("tiny", dir, dir);
    Path items = BatchBenchmark.writeItems(tiny, dir.resolve("items.jsonl"), 25);
    try (FakeJobsServer server = new FakeJobsServer(3);
        BatchJobsClient client = new BatchJobsClient(server.base(), Duration.ofSeconds(10))) {
      BatchJob submitted = client.submit("minilm", items, 10, 4);
      assertThat(submitted.status()).isEqualTo("pending");
      assertThat(submitted.total()).isNull();

      BatchJob done =
          client.awaitFinished(submitted.id(), Duration.ofMillis(1), Duration.ofSeconds(10));

      assertThat(server.queries).containsExactly("api=minilm&batchSize=10&parallelism=4");
      assertThat(server.contentTypes).containsExactly("application/x-ndjson");
      assertThat(done.finished()).isTrue();
      assertThat(done.status()).isEqualTo("succeeded");
      assertThat(done.total()).isEqualTo(25L); // one item per line
      assertThat(done.succeeded()).isEqualTo(25);
      assertThat(done.serverRunTime()).contains(Duration.ofSeconds(2));
    }
  }

  @Test
  void theRoutersDefaultsAreLeftOutOfTheQuery(@TempDir Path dir) throws Exception {
    Path items = Files.writeString(dir.resolve("one.jsonl"), "{\"inputs\":[]}\n");
    try (FakeJobsServer server = new FakeJobsServer(0);
        BatchJobsClient client = new BatchJobsClient(server.base(), Duration.ofSeconds(10))) {
      client.submit("a b", items, 0, 0);
      assertThat(server.queries).containsExactly("api=a+b");
    }
  }

  @Test
  void aJobThatDoesNotFinishInTimeFails(@TempDir Path dir) throws Exception {
    Path items = Files.writeString(dir.resolve("one.jsonl"), "{\"inputs\":[]}\n");
    try (FakeJobsServer server = new FakeJobsServer(Integer.MAX_VALUE);
        BatchJobsClient client = new BatchJobsClient(server.base(), Duration.ofSeconds(10))) {
      BatchJob job = client.submit("minilm", items, 0, 0);
      assertThatThrownBy(
              () -> client.awaitFinished(job.id(), Duration.ofMillis(10), Duration.ofMillis(200)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("still running");
      client.cancel(job.id());
      assertThat(server.deleted).containsExactly(job.id());
    }
  }

  @Test
  void anUnknownJobIsAnError() throws Exception {
    try (FakeJobsServer server = new FakeJobsServer(0);
        BatchJobsClient client = new BatchJobsClient(server.base(), Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> client.get("0".repeat(32)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("404");
    }
  }
}
