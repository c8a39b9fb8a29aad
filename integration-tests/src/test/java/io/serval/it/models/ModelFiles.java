package io.serval.it.models;

import io.serval.testmodels.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Model files of one test class, all under its own directory (so every replica's command line names
 * that directory, which is how orphans are found). The example MiniLM models are linked in from
 * {@code serval.models.dir}.
 */
public final class ModelFiles {

  private final Path dir;

  public ModelFiles(Path dir) {
    this.dir = dir;
  }

  public Path addFp32(String fileName, int width) {
    return TestModels.write(dir, fileName, TestModels.addFp32(width));
  }

  /** Integer Mod (fmod 0) over INT64 [-1, width]: a zero divisor kills the replica (SIGFPE). */
  public Path modInt64(String fileName, int width) {
    return TestModels.write(dir, fileName, TestModels.modInteger("INT64", width));
  }

  /** {@code layers} MatMul+Add+Relu layers over FP32 [-1, width] ("x" to "y"): CPU-bound. */
  public Path wideMlp(String fileName, int layers, int width) {
    return TestModels.write(dir, fileName, TestModels.wideMlp(layers, width, 42));
  }

  public Path broken(String fileName) {
    return TestModels.write(dir, fileName, TestModels.broken());
  }

  public Path slow(String fileName, int width, int rows, int depth) {
    return TestModels.write(dir, fileName, SlowModel.of(width, rows, depth));
  }

  /** all-minilm-l6-v2-q.onnx (quantized). */
  public Path minilmQuantized() {
    return example("all-minilm-l6-v2-q.onnx");
  }

  /** all-minilm-l6-v2.onnx (full precision). */
  public Path minilmFull() {
    return example("all-minilm-l6-v2.onnx");
  }

  private Path example(String name) {
    String modelsDir = System.getProperty("serval.models.dir");
    if (modelsDir == null) {
      throw new AssertionError(
          "system property serval.models.dir is not set (failsafe sets it from the parent pom);"
              + " cannot find "
              + name);
    }
    Path source = Path.of(modelsDir, name).toAbsolutePath();
    if (!Files.isRegularFile(source)) {
      throw new AssertionError(
          source + " is missing: the predictor-service build extracts the example models there");
    }
    Path link = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, source);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link " + source + " into " + dir, e);
    }
    return link;
  }

  /** The spec's model.uri of a file. */
  public static String uri(Path file) {
    return "file:" + file.toAbsolutePath();
  }
}
