package io.serval.testmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small ONNX models for tests and benchmarks, as {@code ModelProto} bytes. */
public final class TestModels {

  private TestModels() {}

  /** Inputs "a", "b" FP32 [-1, width]; output "sum" = a + b, FP32 [-1, width]. */
  public static byte[] addFp32(int width) {
    requirePositive("width", width);
    return new OnnxModelWriter("add_fp32")
        .input("a", OnnxElementType.FLOAT, -1, width)
        .input("b", OnnxElementType.FLOAT, -1, width)
        .output("sum", OnnxElementType.FLOAT, -1, width)
        .node("Add", List.of("a", "b"), List.of("sum"))
        .toBytes();
  }

  /**
   * Input "input", output "output" (Identity op), both of the given V2 datatype and shape (-1 =
   * dynamic).
   *
   * @param v2Datatype BOOL, UINT8/16/32/64, INT8/16/32/64, FP16, FP32, FP64 or BYTES (= ONNX
   *     string)
   */
  public static byte[] identity(String v2Datatype, long... shape) {
    OnnxElementType type = OnnxElementType.fromV2(v2Datatype);
    return new OnnxModelWriter("identity_" + type.v2Datatype().toLowerCase())
        .input("input", type, shape)
        .output("output", type, shape)
        .node("Identity", List.of("input"), List.of("output"))
        .toBytes();
  }

  /**
   * Input "x" FP32 [-1, width]; output "y" FP32 [-1, width]; each layer is MatMul with random
   * weights, Add of a random bias, then Relu. The weights are {@link MlpWeights#generate(int, int,
   * long)}, so callers can compute the expected result.
   */
  public static byte[] wideMlp(int layers, int width, long seed) {
    MlpWeights weights = MlpWeights.generate(layers, width, seed);
    OnnxModelWriter writer =
        new OnnxModelWriter("wide_mlp")
            .input("x", OnnxElementType.FLOAT, -1, width)
            .output("y", OnnxElementType.FLOAT, -1, width);
    String current = "x";
    for (int l = 0; l < layers; l++) {
      String w = "w" + l;
      String b = "b" + l;
      String product = "matmul" + l;
      String biased = "biased" + l;
      String activated = l == layers - 1 ? "y" : "relu" + l;
      writer
          .floatInitializer(w, weights.weights(l), width, width)
          .floatInitializer(b, weights.bias(l), width)
          .node("MatMul", List.of(current, w), List.of(product))
          .node("Add", List.of(product, b), List.of(biased))
          .node("Relu", List.of(biased), List.of(activated));
      current = activated;
    }
    return writer.toBytes();
  }

  /** No batch dimension: input "x" FP32 [4]; output "y" FP32 [4] = 2 * x. */
  public static byte[] scaleFixed() {
    return new OnnxModelWriter("scale_fixed")
        .input("x", OnnxElementType.FLOAT, 4)
        .output("y", OnnxElementType.FLOAT, 4)
        .floatInitializer("two", new float[] {2f})
        .node("Mul", List.of("x", "two"), List.of("y"))
        .toBytes();
  }

  /**
   * Inputs "x", "y" and output "z", all INT32 or INT64 [-1, width]: z = Mod(x, y) with fmod=0 (the
   * integer remainder). A zero in "y" makes ONNX Runtime divide by zero, which raises SIGFPE and
   * kills the whole process (verified with ONNX Runtime 1.23: the JVM reports "SIGFPE (0x8)" and
   * aborts); ONNX's own test_mod_* models have this shape.
   *
   * @param v2Datatype INT32 or INT64
   */
  public static byte[] modInteger(String v2Datatype, int width) {
    requirePositive("width", width);
    OnnxElementType type = OnnxElementType.fromV2(v2Datatype);
    if (type != OnnxElementType.INT32 && type != OnnxElementType.INT64) {
      throw new IllegalArgumentException("integer Mod needs INT32 or INT64, got " + v2Datatype);
    }
    return new OnnxModelWriter("mod_" + type.v2Datatype().toLowerCase())
        .input("x", type, -1, width)
        .input("y", type, -1, width)
        .output("z", type, -1, width)
        .node("Mod", List.of("x", "y"), List.of("z"), Map.of("fmod", 0L))
        .toBytes();
  }

  /**
   * Input "text" BYTES (ONNX string) [-1, width]; output "number" FP32 [-1, width] = Cast(text):
   * each string parsed as a number. An empty string does not parse, so ONNX Runtime fails the run.
   */
  public static byte[] castFromString(int width) {
    requirePositive("width", width);
    return new OnnxModelWriter("cast_from_string")
        .input("text", OnnxElementType.STRING, -1, width)
        .output("number", OnnxElementType.FLOAT, -1, width)
        .node(
            "Cast",
            List.of("text"),
            List.of("number"),
            Map.of("to", (long) OnnxElementType.FLOAT.code()))
        .toBytes();
  }

  /**
   * Like ONNX's test_strnorm_model_monday_*: input "text" BYTES [1, 4]; output "normalized" BYTES
   * [1, -1] = StringNormalizer(text): lower-cased, with the stop word "monday" removed. The locale
   * is C.UTF-8, which every glibc has (the default, en_US.UTF-8, needs a locale package installed,
   * or ONNX Runtime refuses to load the model).
   */
  public static byte[] stringNormalizer() {
    return new OnnxModelWriter("string_normalizer")
        .input("text", OnnxElementType.STRING, 1, 4)
        .output("normalized", OnnxElementType.STRING, 1, -1)
        .node(
            "StringNormalizer",
            List.of("text"),
            List.of("normalized"),
            Map.of(
                "case_change_action",
                "LOWER",
                "is_case_sensitive",
                0L,
                "locale",
                "C.UTF-8",
                "stopwords",
                new String[] {"monday"}))
        .toBytes();
  }

  /**
   * Like ONNX's test_maxunpool_export_with_output_shape: inputs "x" FP32 [1, 1, 2, 2], "indices"
   * INT64 [1, 1, 2, 2] (positions in the flattened output) and "output_shape" INT64 [4]; output "y"
   * FP32 [1, 1, -1, -1] = MaxUnpool(x, indices, output_shape) with a 2x2 kernel and stride 2. The
   * output shape must fit the indices: a shape of zeros or ones is refused.
   */
  public static byte[] maxUnpool() {
    return new OnnxModelWriter("max_unpool")
        .input("x", OnnxElementType.FLOAT, 1, 1, 2, 2)
        .input("indices", OnnxElementType.INT64, 1, 1, 2, 2)
        .input("output_shape", OnnxElementType.INT64, 4)
        .output("y", OnnxElementType.FLOAT, 1, 1, -1, -1)
        .node(
            "MaxUnpool",
            List.of("x", "indices", "output_shape"),
            List.of("y"),
            Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}))
        .toBytes();
  }

  /**
   * A well-formed protobuf whose only node uses an operator that does not exist, so ONNX Runtime
   * refuses to load it (rather than random bytes, whose failure mode would be less predictable).
   */
  public static byte[] broken() {
    return new OnnxModelWriter("broken")
        .input("x", OnnxElementType.FLOAT, -1, 4)
        .output("y", OnnxElementType.FLOAT, -1, 4)
        .node("NoSuchServalOperator", List.of("x"), List.of("y"))
        .toBytes();
  }

  /** Writes the model into {@code dir} (created if missing) and returns the file's path. */
  public static Path write(Path dir, String fileName, byte[] model) {
    try {
      Files.createDirectories(dir);
      return Files.write(dir.resolve(fileName), model);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model " + fileName + " into " + dir, e);
    }
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }
}
