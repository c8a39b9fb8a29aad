package io.serval.bench.workload;

import io.serval.testmodels.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A model and the single request sent to it over and over.
 *
 * @param name short name used on the command line and in the table (also the served model name)
 * @param modelFile the ONNX file the predictor and the in-process session load
 * @param inputs the request's inputs, batch 1
 * @param outputName the output each path decodes and checks
 * @param defaultPaths the paths measured when {@code --paths} is not given
 */
public record Workload(
    String name,
    Path modelFile,
    List<InputTensor> inputs,
    String outputName,
    List<String> defaultPaths) {

  public static final List<String> NAMES = List.of("minilm", "mlp", "tiny");

  /** MLP shape used by the benchmark: four 1024-wide layers, seed 42. */
  static final int MLP_LAYERS = 4;

  static final int MLP_WIDTH = 1024;
  static final int SEQUENCE_LENGTH = 128;
  static final int TINY_WIDTH = 16;

  /**
   * Builds a workload by name. Generated models (mlp, tiny) are written into {@code generatedDir};
   * MiniLM comes from {@code modelsDir}.
   */
  public static Workload named(String name, Path modelsDir, Path generatedDir) {
    SplittableRandom random = new SplittableRandom(2024);
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "minilm" -> miniLm(modelsDir, random);
      case "mlp" ->
          new Workload(
              "mlp",
              TestModels.write(
                  generatedDir, "wide-mlp.onnx", TestModels.wideMlp(MLP_LAYERS, MLP_WIDTH, 42)),
              List.of(InputTensor.fp32("x", randomFloats(random, MLP_WIDTH), 1, MLP_WIDTH)),
              "y",
              List.of("inproc", "grpc", "rest", "rest-bin"));
      case "tiny" ->
          new Workload(
              "tiny",
              TestModels.write(generatedDir, "add-fp32.onnx", TestModels.addFp32(TINY_WIDTH)),
              List.of(
                  InputTensor.fp32("a", randomFloats(random, TINY_WIDTH), 1, TINY_WIDTH),
                  InputTensor.fp32("b", randomFloats(random, TINY_WIDTH), 1, TINY_WIDTH)),
              "sum",
              List.of("inproc", "grpc", "rest"));
      default ->
          throw new IllegalArgumentException(
              "unknown model '" + name + "'; expected one of " + NAMES);
    };
  }

  private static Workload miniLm(Path modelsDir, SplittableRandom random) {
    Path file = modelsDir.resolve("all-minilm-l6-v2-q.onnx");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "MiniLM model not found at "
              + file
              + " (the predictor-service build extracts it; or pass --models-dir)");
    }
    long[] ids = new long[SEQUENCE_LENGTH];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextLong(1000, 2000);
    }
    ids[0] = 101; // [CLS]
    ids[ids.length - 1] = 102; // [SEP]
    long[] mask = new long[SEQUENCE_LENGTH];
    Arrays.fill(mask, 1);
    long[] types = new long[SEQUENCE_LENGTH];
    return new Workload(
        "minilm",
        file,
        List.of(
            InputTensor.int64("input_ids", ids, 1, SEQUENCE_LENGTH),
            InputTensor.int64("attention_mask", mask, 1, SEQUENCE_LENGTH),
            InputTensor.int64("token_type_ids", types, 1, SEQUENCE_LENGTH)),
        "last_hidden_state",
        List.of("inproc", "grpc", "rest"));
  }

  private static float[] randomFloats(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }
}
