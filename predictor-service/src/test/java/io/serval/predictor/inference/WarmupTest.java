package io.serval.predictor.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.testmodels.TestModels;
import io.serval.v2.Datatype;
import io.serval.v2.RawTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models like ONNX's own test models, on real ONNX Runtime sessions: a warm-up never crashes the
 * predictor (integer Mod: zeros as divisors raised SIGFPE and killed this very JVM) and never keeps
 * a valid model from serving (Cast from STRING, StringNormalizer, MaxUnpool failed their synthetic
 * warm-up and never became ready); a user's sample is what the warm-up runs.
 */
class WarmupTest {
  @TempDir Path dir;

  private final List<WarmupResult> reported = new ArrayList<>();
  private final InferenceMetrics metrics =
      new InferenceMetrics() {
        @Override
        public void queued(long nanos) {}

        @Override
        public void batch(int requests, int rows, long computeNanos) {}

        @Override
        public void warmup(WarmupResult result) {
          reported.add(result);
        }
      };

  private InferenceEngine start(String file, byte[] model, String sample) {
    return EngineFixture.start(
        dir,
        file,
        model,
        Optional.ofNullable(sample).map(s -> s.getBytes(StandardCharsets.UTF_8)),
        metrics);
  }

  private static List<RawTensor> run(InferenceEngine e, RawTensor... inputs) throws Exception {
    return e.submit(e.prepare(List.of(inputs), List.of())).get(10, TimeUnit.SECONDS);
  }

  private static RawTensor ints(String name, Datatype type, long[] shape, long... values) {
    ByteBuffer b =
        ByteBuffer.allocate(values.length * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      if (type == Datatype.INT32) {
        b.putInt((int) v);
      } else {
        b.putLong(v);
      }
    }
    return new RawTensor(name, type, shape, b.flip());
  }

  private static long[] longs(RawTensor t) {
    ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int size = t.datatype().byteSize();
    long[] out = new long[b.remaining() / size];
    for (int i = 0; i < out.length; i++) {
      out[i] = size == 4 ? b.getInt() : b.getLong();
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT32", "INT64"})
  void anIntegerModWarmsUpWithoutTrappingAndServes(String type) throws Exception {
    InferenceEngine e = start("mod.onnx", TestModels.modInteger(type, 3), null);
    try {
      assertThat(e.ready()).isTrue();
      assertThat(e.warmup())
          .isEqualTo(new WarmupResult(WarmupResult.SYNTHETIC, WarmupResult.OK, ""));
      assertThat(reported).containsExactly(e.warmup());
      Datatype t = Datatype.valueOf(type);
      List<RawTensor> out =
          run(
              e,
              ints("x", t, new long[] {1, 3}, 7, 8, -7),
              ints("y", t, new long[] {1, 3}, 3, 5, 3));
      assertThat(longs(out.getFirst())).containsExactly(1, 3, 2);
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void aCastFromStringWarmsUpOnNumbersAndServes() throws Exception {
    InferenceEngine e = start("cast.onnx", TestModels.castFromString(2), null);
    try {
      assertThat(e.ready()).isTrue();
      assertThat(e.warmup().ok()).as("%s", e.warmup()).isTrue();
      RawTensor text =
          new RawTensor(
              "text", Datatype.BYTES, new long[] {1, 2}, Tensors.bytesElements("2.5", "-4"));
      assertThat(Tensors.floats(run(e, text).getFirst())).containsExactly(2.5f, -4f);
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void aStringNormalizerBecomesReady() throws Exception {
    InferenceEngine e = start("norm.onnx", TestModels.stringNormalizer(), null);
    try {
      assertThat(e.ready()).isTrue();
      assertThat(reported).hasSize(1);
      RawTensor text =
          new RawTensor(
              "text",
              Datatype.BYTES,
              new long[] {1, 4},
              Tensors.bytesElements("Monday", "Tuesday", "X", "y"));
      RawTensor out = run(e, text).getFirst();
      assertThat(out.data()).isEqualTo(Tensors.bytesElements("tuesday", "x", "y"));
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void aMaxUnpoolWhoseSyntheticWarmUpFailsBecomesReadyAnywayAndServes() throws Exception {
    InferenceEngine e = start("unpool.onnx", TestModels.maxUnpool(), null);
    try {
      assertThat(e.ready()).isTrue();
      assertThat(e.warmup().source()).isEqualTo(WarmupResult.SYNTHETIC);
      assertThat(e.warmup().outcome())
          .as("an output shape of ones cannot hold the indices: %s", e.warmup())
          .isEqualTo(WarmupResult.FAILED);
      assertThat(reported).containsExactly(e.warmup());
      List<RawTensor> out = run(e, unpoolInputs());
      assertThat(out.getFirst().shape()).containsExactly(1, 1, 5, 5);
      assertThat(Tensors.floats(out.getFirst())[5]).isEqualTo(5f);
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  private static RawTensor[] unpoolInputs() {
    return new RawTensor[] {
      Tensors.fp32("x", new long[] {1, 1, 2, 2}, 5, 6, 7, 8),
      ints("indices", Datatype.INT64, new long[] {1, 1, 2, 2}, 5, 7, 13, 15),
      ints("output_shape", Datatype.INT64, new long[] {4}, 1, 1, 5, 5)
    };
  }

  static final String UNPOOL_SAMPLE =
      """
      {"inputs": [
        {"name": "x", "datatype": "FP32", "shape": [1, 1, 2, 2], "data": [5, 6, 7, 8]},
        {"name": "indices", "datatype": "INT64", "shape": [1, 1, 2, 2], "data": [5, 7, 13, 15]},
        {"name": "output_shape", "datatype": "INT64", "shape": [4], "data": [1, 1, 5, 5]}
      ]}
      """;

  @Test
  void aUserSampleIsWhatTheWarmUpRuns() throws Exception {
    InferenceEngine e = start("unpool.onnx", TestModels.maxUnpool(), UNPOOL_SAMPLE);
    try {
      assertThat(e.ready()).isTrue();
      assertThat(e.warmup())
          .as("the synthetic inputs fail on this model; the sample runs")
          .isEqualTo(new WarmupResult(WarmupResult.SAMPLE, WarmupResult.OK, ""));
      assertThat(reported).containsExactly(e.warmup());
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void aSampleThatDoesNotFitTheModelIsAWarningNotADeadReplica() throws Exception {
    String wrongInput =
        """
        {"inputs": [{"name": "nope", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}
        """;
    InferenceEngine e = start("add.onnx", TestModels.addFp32(3), wrongInput);
    try {
      assertThat(e.ready()).isTrue();
      assertThat(e.warmup().source()).isEqualTo(WarmupResult.SAMPLE);
      assertThat(e.warmup().outcome()).isEqualTo(WarmupResult.SKIPPED);
      assertThat(e.warmup().message()).contains("unknown input 'nope'");
    } finally {
      e.shutdown(Duration.ofSeconds(5));
    }
  }

  @Test
  void syntheticInputsAreOnesOfEveryType() {
    assertThat(WarmupTask.ones(Datatype.INT32, 2))
        .isEqualTo(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 1, 0, 0, 0}));
    assertThat(WarmupTask.ones(Datatype.FP32, 1).order(ByteOrder.LITTLE_ENDIAN).getFloat(0))
        .isEqualTo(1f);
    assertThat(WarmupTask.ones(Datatype.FP16, 1).order(ByteOrder.LITTLE_ENDIAN).getShort(0))
        .isEqualTo((short) 0x3C00);
    assertThat(WarmupTask.ones(Datatype.BYTES, 2)).isEqualTo(Tensors.bytesElements("1", "1"));
    for (Datatype t : Datatype.values()) {
      ByteBuffer b = WarmupTask.ones(t, 3);
      assertThat(b.remaining()).as("%s", t).isEqualTo(t.fixedSize() ? 3 * t.byteSize() : 15);
      boolean nonZero = false;
      for (int i = 0; i < b.limit(); i++) {
        nonZero |= b.get(i) != 0;
      }
      assertThat(nonZero).as("%s", t).isTrue();
    }
  }
}
