package io.serval.predictor.inference;

import static io.serval.predictor.inference.Tensors.floats;
import static io.serval.predictor.inference.Tensors.fp32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.serval.predictor.batching.BatchingPolicy;
import io.serval.predictor.model.ModelLoadException;
import io.serval.predictor.model.SessionFactory;
import io.serval.testmodels.TestModels;
import io.serval.v2.RawTensor;
import io.serval.v2.V2Exception;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceEngineTest {
  @TempDir Path dir;

  private static List<RawTensor> run(InferenceEngine e, List<RawTensor> inputs) throws Exception {
    return e.submit(e.prepare(inputs, List.of())).get(10, TimeUnit.SECONDS);
  }

  @Test
  void addModelComputesTheSumAndReportsItsSignature() throws Exception {
    InferenceEngine e = EngineFixture.start(dir, "add.onnx", TestModels.addFp32(3));
    try {
      assertThat(e.ready()).isTrue();
      assertThat(e.signature().batchable()).isTrue();
      assertThat(e.signature().inputs().get(0).describe()).isEqualTo("FP32 [-1,3]");
      List<RawTensor> out =
          run(
              e,
              List.of(
                  fp32("b", new long[] {2, 3}, 10, 20, 30, 40, 50, 60),
                  fp32("a", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)));
      assertThat(out).hasSize(1);
      assertThat(out.get(0).name()).isEqualTo("sum");
      assertThat(out.get(0).shape()).containsExactly(2, 3);
      assertThat(floats(out.get(0))).containsExactly(11, 22, 33, 44, 55, 66);
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void batchedRequestsGetTheSameResultsAsRunAloneAndDoShareBatches() throws Exception {
    int width = 64;
    byte[] model = TestModels.wideMlp(3, width, 7);
    Path file = TestModels.write(dir, "ref.onnx", model);
    AtomicInteger multiRequestBatches = new AtomicInteger();
    InferenceMetrics metrics =
        new InferenceMetrics() {
          @Override
          public void queued(long nanos) {}

          @Override
          public void batch(int requests, int rows, long computeNanos) {
            if (requests > 1) {
              multiRequestBatches.incrementAndGet();
            }
          }
        };
    InferenceEngine e =
        EngineFixture.start(
            dir, "mlp.onnx", model, 2, new BatchingPolicy(16, Duration.ofMillis(20), 256), metrics);
    Random rnd = new Random(42);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession ref = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
      List<float[]> inputs = new ArrayList<>();
      List<CompletableFuture<List<RawTensor>>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int rows = 1 + (i % 3);
        float[] x = new float[rows * width];
        for (int j = 0; j < x.length; j++) {
          x[j] = rnd.nextFloat() * 2 - 1;
        }
        inputs.add(x);
        futures.add(
            e.submit(e.prepare(List.of(fp32("x", new long[] {rows, width}, x)), List.of())));
      }
      for (int i = 0; i < inputs.size(); i++) {
        float[] x = inputs.get(i);
        RawTensor y = futures.get(i).get(10, TimeUnit.SECONDS).get(0);
        int rows = x.length / width;
        assertThat(y.shape()).containsExactly(rows, width);
        float[] expected;
        try (OnnxTensor in =
                OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, width});
            OrtSession.Result r = ref.run(Map.of("x", in))) {
          expected = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
        }
        float[] actual = floats(y);
        assertThat(actual).hasSize(expected.length);
        for (int j = 0; j < expected.length; j++) {
          // Batched GEMM may sum in another order than a single row: allow float rounding.
          assertThat(actual[j])
              .as("request %d element %d", i, j)
              .isCloseTo(
                  expected[j],
                  org.assertj.core.data.Offset.offset(1e-4f + Math.abs(expected[j]) * 1e-5f));
        }
      }
      assertThat(multiRequestBatches.get())
          .as("batches holding more than one request")
          .isPositive();
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void modelWithoutBatchDimensionBypassesTheBatcher() throws Exception {
    InferenceEngine e =
        EngineFixture.start(
            dir,
            "scale.onnx",
            TestModels.scaleFixed(),
            1,
            new BatchingPolicy(8, Duration.ofSeconds(5), 16),
            InferenceMetrics.NONE);
    try {
      assertThat(e.signature().batchable()).isFalse();
      assertThat(e.maxBatchSize()).isEqualTo(1);
      long start = System.nanoTime();
      List<RawTensor> out = run(e, List.of(fp32("x", new long[] {4}, 1, 2, 3, 4)));
      assertThat(System.nanoTime() - start)
          .as("did not wait for the 5 s queue delay")
          .isLessThan(TimeUnit.SECONDS.toNanos(4));
      assertThat(out.get(0).shape()).containsExactly(4);
      assertThat(floats(out.get(0))).containsExactly(2, 4, 6, 8);
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void requestedOutputsAndValidationErrorsNameTheTensor() {
    InferenceEngine e = EngineFixture.start(dir, "add.onnx", TestModels.addFp32(2));
    try {
      RawTensor a = fp32("a", new long[] {1, 2}, 1, 2);
      RawTensor b = fp32("b", new long[] {1, 2}, 1, 2);
      assertThatThrownBy(() -> e.prepare(List.of(a, b), List.of("nope")))
          .isInstanceOf(V2Exception.class)
          .hasMessageContaining("unknown requested output 'nope'")
          .hasMessageContaining("[sum]");
      assertThatThrownBy(() -> e.prepare(List.of(a), List.of()))
          .hasMessageContaining("missing input 'b'");
      assertThatThrownBy(
              () -> e.prepare(List.of(a, b, fp32("c", new long[] {1, 2}, 1, 2)), List.of()))
          .hasMessageContaining("unknown input 'c'");
      assertThatThrownBy(() -> e.prepare(List.of(a, fp32("b", new long[] {1, 1}, 1)), List.of()))
          .hasMessageContaining("input 'b' has shape [1,1]")
          .hasMessageContaining("dimension 1 must be 2");
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void brokenModelFailsToLoadWithAClearMessage() {
    assertThatThrownBy(() -> EngineFixture.start(dir, "broken.onnx", TestModels.broken()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("could not load model")
        .hasMessageContaining("broken.onnx");
  }

  @Test
  void gpuWithoutCudaProviderFailsAtStartExplainingTheFix() {
    Path file = TestModels.write(dir, "add.onnx", TestModels.addFp32(2));
    assertThatThrownBy(() -> new SessionFactory(OrtEnvironment.getEnvironment(), file, 1, 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("gpu: 1 requested")
        .hasMessageContaining("-Pgpu")
        .hasMessageContaining("CUDA 12");
  }

  /** A request heavy enough (hundreds of MFLOP) that the worker is still busy while more arrive. */
  private static List<RawTensor> heavyInput(int width, int rows) {
    float[] x = new float[rows * width];
    java.util.Arrays.fill(x, 0.01f);
    return List.of(fp32("x", new long[] {rows, width}, x));
  }

  @Test
  void fullQueueRefusesAtOnceWithUnavailable() throws Exception {
    int width = 512;
    InferenceEngine e =
        EngineFixture.start(
            dir,
            "heavy.onnx",
            TestModels.wideMlp(4, width, 1),
            1,
            new BatchingPolicy(1, Duration.ZERO, 2),
            InferenceMetrics.NONE);
    List<CompletableFuture<List<RawTensor>>> accepted = new ArrayList<>();
    V2Exception refused = null;
    try {
      for (int i = 0; i < 20 && refused == null; i++) {
        try {
          accepted.add(e.submit(e.prepare(heavyInput(width, 256), List.of())));
        } catch (V2Exception ex) {
          refused = ex;
        }
      }
      assertThat(refused).as("a request past max-queue-size 2 is refused").isNotNull();
      assertThat(refused.kind()).isEqualTo(V2Exception.Kind.UNAVAILABLE);
      assertThat(refused.httpStatus()).isEqualTo(503);
      assertThat(refused)
          .hasMessageContaining("queue is full")
          .hasMessageContaining("max-queue-size 2");
      for (var f : accepted) {
        assertThat(f.get(30, TimeUnit.SECONDS)).hasSize(1);
      }
    } finally {
      e.shutdown(Duration.ofSeconds(30));
    }
  }

  @Test
  void shutdownFinishesQueuedRequestsThenRefusesNewOnes() throws Exception {
    int width = 256;
    InferenceEngine e =
        EngineFixture.start(
            dir,
            "mlp.onnx",
            TestModels.wideMlp(2, width, 1),
            1,
            new BatchingPolicy(1, Duration.ZERO, 64),
            InferenceMetrics.NONE);
    List<CompletableFuture<List<RawTensor>>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(e.submit(e.prepare(heavyInput(width, 64), List.of())));
    }
    e.shutdown(Duration.ofSeconds(30));
    assertThat(e.ready()).isFalse();
    for (var f : queued) {
      assertThat(f).isCompleted();
      assertThat(f.get()).hasSize(1);
    }
    assertThatThrownBy(() -> e.submit(e.prepare(heavyInput(width, 1), List.of())))
        .isInstanceOf(V2Exception.class)
        .hasMessageContaining("shutting down")
        .matches(ex -> ((V2Exception) ex).kind() == V2Exception.Kind.UNAVAILABLE);
    assertThat(e.inFlight()).isZero();
  }

  @Test
  void shutdownGraceEndingFailsWhatIsStillQueued() throws Exception {
    int width = 512;
    InferenceEngine e =
        EngineFixture.start(
            dir,
            "heavy.onnx",
            TestModels.wideMlp(4, width, 1),
            1,
            new BatchingPolicy(1, Duration.ZERO, 64),
            InferenceMetrics.NONE);
    List<CompletableFuture<List<RawTensor>>> queued = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queued.add(e.submit(e.prepare(heavyInput(width, 256), List.of())));
    }
    e.shutdown(Duration.ZERO);
    CompletableFuture<List<RawTensor>> last = queued.get(queued.size() - 1);
    assertThatThrownBy(() -> last.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(V2Exception.class)
        .hasMessageContaining("shut down before this request ran");
  }
}
