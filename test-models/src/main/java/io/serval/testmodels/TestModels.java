package io.serval.testmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
