package io.serval.testmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestModelsTest {

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private static OrtSession load(byte[] model) throws OrtException {
    return ENV.createSession(model, new OrtSession.SessionOptions());
  }

  @Test
  void addFp32AddsRowsOfAnyBatchSize() throws OrtException {
    try (OrtSession session = load(TestModels.addFp32(3));
        OnnxTensor a = OnnxTensor.createTensor(ENV, new float[][] {{1, 2, 3}, {4, 5, 6}});
        OnnxTensor b = OnnxTensor.createTensor(ENV, new float[][] {{10, 20, 30}, {0.5f, 0, -6}});
        OrtSession.Result result = session.run(Map.of("a", a, "b", b))) {
      float[][] sum = (float[][]) result.get("sum").orElseThrow().getValue();
      assertThat(sum).isDeepEqualTo(new float[][] {{11, 22, 33}, {4.5f, 5, 0}});
      TensorInfo input = (TensorInfo) session.getInputInfo().get("a").getInfo();
      assertThat(input.getShape()).containsExactly(-1, 3);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "BOOL, BOOL, 1",
    "UINT8, UINT8, 1",
    "INT8, INT8, 1",
    "INT16, INT16, 2",
    "INT32, INT32, 4",
    "INT64, INT64, 8",
    "FP16, FLOAT16, 2",
    "FP32, FLOAT, 4",
    "FP64, DOUBLE, 8"
  })
  void identityReturnsItsInputForFixedWidthTypes(String v2, OnnxJavaType javaType, int size)
      throws OrtException {
    long[] shape = {2, 3};
    ByteBuffer data = ByteBuffer.allocateDirect(6 * size).order(ByteOrder.nativeOrder());
    for (int i = 0; i < 6 * size; i++) {
      // BOOL bytes must be 0 or 1; other types take any bit pattern except NaN-prone floats,
      // which small integers avoid.
      data.put(i, (byte) (v2.equals("BOOL") ? i % 2 : (i % size == 0 ? i + 1 : 0)));
    }
    try (OrtSession session = load(TestModels.identity(v2, -1, 3));
        OnnxTensor input = OnnxTensor.createTensor(ENV, data, shape, javaType);
        OrtSession.Result result = session.run(Map.of("input", input))) {
      OnnxTensor output = (OnnxTensor) result.get("output").orElseThrow();
      assertThat(output.getInfo().type).isEqualTo(javaType);
      assertThat(output.getInfo().getShape()).containsExactly(shape);
      ByteBuffer expected = data.duplicate().rewind();
      assertThat(output.getByteBuffer().order(ByteOrder.nativeOrder())).isEqualTo(expected);
    }
  }

  @Test
  void identityReturnsStringsForBytes() throws OrtException {
    String[] values = {"héllo", "", "serval"};
    try (OrtSession session = load(TestModels.identity("BYTES", -1));
        OnnxTensor input = OnnxTensor.createTensor(ENV, values, new long[] {3});
        OrtSession.Result result = session.run(Map.of("input", input))) {
      assertThat((String[]) result.get("output").orElseThrow().getValue()).containsExactly(values);
    }
  }

  // ONNX Runtime's Java API cannot create unsigned 16/32/64-bit tensors, so these are checked by
  // the declared types of the loaded model.
  @ParameterizedTest
  @CsvSource({
    "UINT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16",
    "UINT32, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32",
    "UINT64, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64"
  })
  void identityLoadsWithUnsignedTypes(String v2, TensorInfo.OnnxTensorType onnxType)
      throws OrtException {
    try (OrtSession session = load(TestModels.identity(v2, -1, 4))) {
      NodeInfo input = session.getInputInfo().get("input");
      NodeInfo output = session.getOutputInfo().get("output");
      assertThat(((TensorInfo) input.getInfo()).onnxType).isEqualTo(onnxType);
      assertThat(((TensorInfo) output.getInfo()).onnxType).isEqualTo(onnxType);
      assertThat(((TensorInfo) input.getInfo()).getShape()).containsExactly(-1, 4);
    }
  }

  @Test
  void identityRejectsUnknownDatatype() {
    assertThatThrownBy(() -> TestModels.identity("COMPLEX64", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("COMPLEX64");
  }

  @Test
  void wideMlpMatchesJavaReference() throws OrtException {
    int width = 64;
    MlpWeights reference = MlpWeights.generate(3, width, 7);
    SplittableRandom random = new SplittableRandom(1);
    float[][] x = new float[4][width];
    for (float[] row : x) {
      for (int i = 0; i < width; i++) {
        row[i] = (float) random.nextDouble(-1, 1);
      }
    }
    try (OrtSession session = load(TestModels.wideMlp(3, width, 7));
        OnnxTensor input = OnnxTensor.createTensor(ENV, x);
        OrtSession.Result result = session.run(Map.of("x", input))) {
      float[][] y = (float[][]) result.get("y").orElseThrow().getValue();
      assertThat(y).hasNumberOfRows(4);
      boolean anyPositive = false;
      for (int r = 0; r < 4; r++) {
        float[] expected = reference.forward(x[r]);
        for (int i = 0; i < width; i++) {
          assertThat(y[r][i]).as("row %d column %d", r, i).isCloseTo(expected[i], within(1e-4f));
          anyPositive |= expected[i] > 0;
        }
      }
      assertThat(anyPositive).as("activations survive the layers").isTrue();
    }
  }

  @Test
  void wideMlpIsDeterministicPerSeed() {
    assertThat(TestModels.wideMlp(2, 16, 42)).isEqualTo(TestModels.wideMlp(2, 16, 42));
    assertThat(TestModels.wideMlp(2, 16, 42)).isNotEqualTo(TestModels.wideMlp(2, 16, 43));
  }

  @Test
  void scaleFixedDoublesAFixedShapeInput() throws OrtException {
    try (OrtSession session = load(TestModels.scaleFixed());
        OnnxTensor x = OnnxTensor.createTensor(ENV, new float[] {1, -2, 0.5f, 3});
        OrtSession.Result result = session.run(Map.of("x", x))) {
      assertThat((float[]) result.get("y").orElseThrow().getValue()).containsExactly(2, -4, 1, 6);
      assertThat(((TensorInfo) session.getInputInfo().get("x").getInfo()).getShape())
          .containsExactly(4);
    }
  }

  @Test
  void modIntegerTakesTheIntegerRemainderForBothWidths() throws OrtException {
    try (OrtSession session = load(TestModels.modInteger("INT32", 3));
        OnnxTensor x = OnnxTensor.createTensor(ENV, new int[][] {{7, 8, -7}});
        OnnxTensor y = OnnxTensor.createTensor(ENV, new int[][] {{3, 8, 3}});
        OrtSession.Result result = session.run(Map.of("x", x, "y", y))) {
      // fmod=0: the sign follows the divisor, like Python's %.
      assertThat(((int[][]) result.get("z").orElseThrow().getValue())[0]).containsExactly(1, 0, 2);
    }
    try (OrtSession session = load(TestModels.modInteger("INT64", 2));
        OnnxTensor x = OnnxTensor.createTensor(ENV, new long[][] {{10, 11}, {12, 13}});
        OnnxTensor y = OnnxTensor.createTensor(ENV, new long[][] {{4, 4}, {5, 1}});
        OrtSession.Result result = session.run(Map.of("x", x, "y", y))) {
      assertThat((long[][]) result.get("z").orElseThrow().getValue())
          .isDeepEqualTo(new long[][] {{2, 3}, {2, 0}});
    }
    assertThatThrownBy(() -> TestModels.modInteger("FP32", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INT32 or INT64");
  }

  @Test
  void castFromStringParsesNumbersAndFailsOnEmptyStrings() throws OrtException {
    try (OrtSession session = load(TestModels.castFromString(2));
        OnnxTensor text =
            OnnxTensor.createTensor(ENV, new String[] {"1.5", "-2"}, new long[] {1, 2});
        OrtSession.Result result = session.run(Map.of("text", text))) {
      assertThat(((float[][]) result.get("number").orElseThrow().getValue())[0])
          .containsExactly(1.5f, -2f);
    }
    try (OrtSession session = load(TestModels.castFromString(1));
        OnnxTensor empty = OnnxTensor.createTensor(ENV, new String[] {""}, new long[] {1, 1})) {
      assertThatThrownBy(() -> session.run(Map.of("text", empty))).isInstanceOf(OrtException.class);
    }
  }

  @Test
  void stringNormalizerLowerCasesAndDropsTheStopWord() throws OrtException {
    try (OrtSession session = load(TestModels.stringNormalizer());
        OnnxTensor text =
            OnnxTensor.createTensor(
                ENV, new String[] {"Monday", "Tuesday", "WEDNESDAY", "x"}, new long[] {1, 4});
        OrtSession.Result result = session.run(Map.of("text", text))) {
      assertThat(((String[][]) result.get("normalized").orElseThrow().getValue())[0])
          .containsExactly("tuesday", "wednesday", "x");
    }
  }

  @Test
  void maxUnpoolScattersIntoTheGivenOutputShape() throws OrtException {
    try (OrtSession session = load(TestModels.maxUnpool());
        OnnxTensor x = OnnxTensor.createTensor(ENV, new float[][][][] {{{{5, 6}, {7, 8}}}});
        OnnxTensor indices = OnnxTensor.createTensor(ENV, new long[][][][] {{{{5, 7}, {13, 15}}}});
        OnnxTensor shape = OnnxTensor.createTensor(ENV, new long[] {1, 1, 5, 5});
        OrtSession.Result result =
            session.run(Map.of("x", x, "indices", indices, "output_shape", shape))) {
      float[][] y = ((float[][][][]) result.get("y").orElseThrow().getValue())[0][0];
      assertThat(y).hasNumberOfRows(5);
      // flat positions 5, 7, 13, 15 of the 5x5 output
      assertThat(y[1]).containsExactly(5, 0, 6, 0, 0);
      assertThat(y[2]).containsExactly(0, 0, 0, 7, 0);
      assertThat(y[3]).containsExactly(8, 0, 0, 0, 0);
      assertThat(y[0]).containsOnly(0f);
    }
  }

  @Test
  void brokenModelFailsToLoad() {
    assertThatThrownBy(() -> load(TestModels.broken()))
        .isInstanceOf(OrtException.class)
        .hasMessageContaining("NoSuchServalOperator");
  }

  @Test
  void writePutsTheModelIntoTheDirectory(@TempDir Path tmp) throws Exception {
    Path file = TestModels.write(tmp.resolve("nested"), "add.onnx", TestModels.addFp32(2));
    assertThat(file).isEqualTo(tmp.resolve("nested/add.onnx"));
    assertThat(Files.readAllBytes(file)).isEqualTo(TestModels.addFp32(2));
    try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions())) {
      assertThat(session.getOutputNames()).containsExactly("sum");
    }
  }

  private static org.assertj.core.data.Offset<Float> within(float tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }
}
