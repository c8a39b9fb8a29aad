package io.serval.it.models;

import io.serval.testmodels.OnnxElementType;
import io.serval.testmodels.OnnxModelWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A model whose run time is set by its shape, not by a sleep: input "x" FP32 [-1, width] is tiled
 * to {@code rows} rows per input row and multiplied {@code depth} times by a width x width identity
 * matrix (ONNX Runtime does not fold that away: it depends on the input); the sum of the result,
 * times zero, is added to x. So y = x exactly, after rows * depth * width^2 multiply-adds per input
 * row. The file stays small (one shared weight).
 */
public final class SlowModel {

  public static final String INPUT = "x";
  public static final String OUTPUT = "y";

  private SlowModel() {}

  public static byte[] of(int width, int rows, int depth) {
    float[] identity = new float[width * width];
    for (int i = 0; i < width; i++) {
      identity[i * width + i] = 1f;
    }
    ByteBuffer repeats = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    repeats.putLong(rows).putLong(1);
    OnnxModelWriter w =
        new OnnxModelWriter("slow_identity")
            .input(INPUT, OnnxElementType.FLOAT, -1, width)
            .output(OUTPUT, OnnxElementType.FLOAT, -1, width)
            .floatInitializer("eye", identity, width, width)
            .floatInitializer("zero", new float[] {0f})
            .rawInitializer("repeats", OnnxElementType.INT64, repeats.array(), 2)
            .node("Tile", List.of(INPUT, "repeats"), List.of("t0"));
    String current = "t0";
    for (int i = 0; i < depth; i++) {
      String next = "m" + i;
      w.node("MatMul", List.of(current, "eye"), List.of(next));
      current = next;
    }
    return w.node("ReduceSum", List.of(current), List.of("total"), java.util.Map.of("keepdims", 1L))
        .node("Mul", List.of("total", "zero"), List.of("nothing"))
        .node("Add", List.of(INPUT, "nothing"), List.of(OUTPUT))
        .toBytes();
  }
}
