package io.serval.testmodels;

import java.util.SplittableRandom;

/**
 * The deterministic weights of {@link TestModels#wideMlp}, with a plain-Java forward pass that
 * tests use as the reference result.
 *
 * <p>Weights are uniform in ±1/sqrt(width) and biases in ±0.1, so that activations neither vanish
 * nor blow up over several layers.
 */
public final class MlpWeights {
  private final int layers;
  private final int width;
  private final float[][] weights;
  private final float[][] biases;

  private MlpWeights(int layers, int width, float[][] weights, float[][] biases) {
    this.layers = layers;
    this.width = width;
    this.weights = weights;
    this.biases = biases;
  }

  /** Generates the weights for the given shape and seed (same inputs, same weights). */
  public static MlpWeights generate(int layers, int width, long seed) {
    if (layers < 1 || width < 1) {
      throw new IllegalArgumentException(
          "wide MLP needs layers >= 1 and width >= 1, got layers=" + layers + " width=" + width);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double bound = 1.0 / Math.sqrt(width);
    float[][] w = new float[layers][width * width];
    float[][] b = new float[layers][width];
    for (int l = 0; l < layers; l++) {
      for (int i = 0; i < w[l].length; i++) {
        w[l][i] = (float) random.nextDouble(-bound, bound);
      }
      for (int i = 0; i < width; i++) {
        b[l][i] = (float) random.nextDouble(-0.1, 0.1);
      }
    }
    return new MlpWeights(layers, width, w, b);
  }

  public int layers() {
    return layers;
  }

  public int width() {
    return width;
  }

  /** Row-major [width, width] weight matrix of one layer (input index major). */
  public float[] weights(int layer) {
    return weights[layer].clone();
  }

  public float[] bias(int layer) {
    return biases[layer].clone();
  }

  /** y = relu(x W + b), layer after layer, for one row x. */
  public float[] forward(float[] x) {
    if (x.length != width) {
      throw new IllegalArgumentException("input has " + x.length + " values, expected " + width);
    }
    float[] current = x.clone();
    for (int l = 0; l < layers; l++) {
      float[] next = new float[width];
      float[] w = weights[l];
      for (int i = 0; i < width; i++) {
        float xi = current[i];
        int row = i * width;
        for (int j = 0; j < width; j++) {
          next[j] += xi * w[row + j];
        }
      }
      for (int j = 0; j < width; j++) {
        next[j] = Math.max(0f, next[j] + biases[l][j]);
      }
      current = next;
    }
    return current;
  }
}
