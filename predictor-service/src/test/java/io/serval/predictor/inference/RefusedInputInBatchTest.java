package io.serval.predictor.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.onnxruntime.OrtEnvironment;
import io.serval.predictor.batching.BatchingPolicy;
import io.serval.predictor.model.SessionFactory;
import io.serval.v2.Datatype;
import io.serval.v2.RawTensor;
import io.serval.v2.V2Exception;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A request whose input the model refuses (ORT_INVALID_ARGUMENT: a token id outside MiniLM's
 * vocabulary) is the client's error, and fails only itself: the requests batched with it are
 * answered.
 */
class RefusedInputInBatchTest {
  private static final Path MINILM =
      Path.of(System.getProperty("serval.models.dir", "models"), "all-minilm-l6-v2-q.onnx");

  private static RawTensor int64(String name, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return new RawTensor(name, Datatype.INT64, new long[] {1, values.length}, b.flip());
  }

  private static List<RawTensor> tokens(long... ids) {
    long[] ones = new long[ids.length];
    java.util.Arrays.fill(ones, 1);
    return List.of(
        int64("input_ids", ids),
        int64("attention_mask", ones),
        int64("token_type_ids", new long[ids.length]));
  }

  @Test
  void aRefusedInputFailsOnlyItsOwnRequestOfABatch() throws Exception {
    AtomicInteger largestBatch = new AtomicInteger();
    InferenceMetrics metrics =
        new InferenceMetrics() {
          @Override
          public void queued(long nanos) {}

          @Override
          public void batch(int requests, int rows, long computeNanos) {
            largestBatch.accumulateAndGet(requests, Math::max);
          }
        };
    SessionFactory sessions = new SessionFactory(OrtEnvironment.getEnvironment(), MINILM, 1, 0);
    // A long queue delay: the batch leaves when it is full, so the four requests share it.
    InferenceEngine engine =
        InferenceEngine.start(
            new EngineSettings(
                "minilm", 1, new BatchingPolicy(4, Duration.ofSeconds(10), 16), false),
            sessions,
            metrics);
    try {
      List<CompletableFuture<List<RawTensor>>> answers = new ArrayList<>();
      for (long id : new long[] {7592, 999_999, 2088, 2003}) {
        answers.add(engine.submit(engine.prepare(tokens(101, id, 102), List.of())));
      }

      assertThat(answers.get(1))
          .failsWithin(30, TimeUnit.SECONDS)
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOfSatisfying(
              V2Exception.class,
              e -> {
                assertThat(e.kind()).isEqualTo(V2Exception.Kind.INVALID_ARGUMENT);
                assertThat(e.getMessage())
                    .startsWith("model 'minilm' refused the input: ")
                    .contains("idx=999999");
              });
      for (int i : new int[] {0, 2, 3}) {
        assertThat(answers.get(i).get(30, TimeUnit.SECONDS).get(0).shape())
            .containsExactly(1, 3, 384);
      }
      // The engine records a batch after answering it (in a finally), so the count may land just
      // after the answers: wait for it rather than read it at once.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(largestBatch.get())
                      .as("requests in the batch that failed")
                      .isEqualTo(4));
    } finally {
      engine.shutdown(Duration.ofSeconds(5));
    }
  }
}
