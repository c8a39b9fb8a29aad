package io.serval.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatDecimal} must write exactly what {@link Float#toString(float)} gives, since the REST
 * JSON responses it writes were Jackson's {@code writeNumber(float)} (which is Float.toString's
 * digits) before, and clients may compare them byte for byte. The build checks a spread of floats;
 * every float was compared once by hand (docs/benchmarks.md, "REST JSON path").
 */
class FloatDecimalTest {
  private final byte[] out = new byte[FloatDecimal.MAX_BYTES + 4];

  private String written(float v) {
    out[out.length - 1] = 'x';
    int end = FloatDecimal.write(v, out, 2);
    assertThat(out[out.length - 1]).as("stays within MAX_BYTES").isEqualTo((byte) 'x');
    return new String(out, 2, end - 2, StandardCharsets.US_ASCII);
  }

  private void assertSameAsJdk(float v) {
    String expected = Float.toString(v);
    String got = written(v);
    if (!got.equals(expected)) {
      // Built only on a mismatch: the loops below call this millions of times.
      assertThat(got).as("bits 0x%08x", Float.floatToRawIntBits(v)).isEqualTo(expected);
    }
  }

  @Test
  void edgesAndLayoutBoundariesMatchFloatToString() {
    float[] edges = {
      0.0f,
      -0.0f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MIN_NORMAL,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Math.nextDown(Float.MIN_NORMAL),
      1.0f,
      -1.0f,
      0.1f,
      0.2f,
      0.3f,
      1e7f,
      Math.nextDown(1e7f),
      9999999.0f,
      1e-3f,
      Math.nextDown(1e-3f),
      Math.nextUp(1e-3f),
      1e-4f,
      123456.79f,
      16777216.0f,
      16777217.0f,
      3.4028235e38f,
      1.17549435e-38f,
      1.4e-45f,
      2.8e-45f,
      1e-45f,
      1e-44f,
      0.5f,
      2.0f,
      1024.0f,
      3.1415927f,
      100.0f,
      1e10f,
      1.0E-5f
    };
    for (float v : edges) {
      assertSameAsJdk(v);
    }
    assertThat(written(-0.0f)).isEqualTo("-0.0");
    assertThat(written(Float.MIN_VALUE)).isEqualTo("1.4E-45");
    assertThat(written(1e7f)).isEqualTo("1.0E7");
    assertThat(written(0.001f)).isEqualTo("0.001");
  }

  @Test
  void everySubnormalAndPowerOfTwoNeighbourhoodMatches() {
    // The smallest subnormals one by one (the t < C_TINY path among them), then a spread.
    for (int bits = 1; bits < 0x0080_0000; bits += bits < 65_536 ? 1 : 97) {
      assertSameAsJdk(Float.intBitsToFloat(bits));
    }
    // The irregular spacing below each power of two, and a few floats around it.
    for (int exponent = 1; exponent < 255; exponent++) {
      int power = exponent << 23;
      for (int d = -3; d <= 3; d++) {
        assertSameAsJdk(Float.intBitsToFloat(power + d));
        assertSameAsJdk(Float.intBitsToFloat(power + d | 0x8000_0000));
      }
    }
  }

  @Test
  void everyFloatOfTheBinadesAModelOutputsMatches() {
    // [2^-8, 2^3): where hidden states and probabilities live, plain and "0.00x" layouts both.
    int from = Float.floatToRawIntBits(0x1p-8f);
    int to = Float.floatToRawIntBits(0x1p3f);
    for (int bits = from; bits < to; bits += 13) {
      assertSameAsJdk(Float.intBitsToFloat(bits));
    }
  }

  @Test
  void randomBitPatternsMatch() {
    SplittableRandom random = new SplittableRandom(16);
    for (int n = 0; n < 1_000_000; n++) {
      float v = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(v)) {
        assertSameAsJdk(v);
      }
    }
  }

  @Test
  void refusesWhatIsNotFinite() {
    assertThatThrownBy(() -> written(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> written(Float.NEGATIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
