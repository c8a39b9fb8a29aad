package io.serval.v2;

import java.math.BigInteger;

/**
 * Writes a finite float as ASCII into a byte array, exactly the characters {@link
 * Float#toString(float)} gives (the shortest decimal that reads back as the same float; plain
 * notation for magnitudes in [10^-3, 10^7), computerized scientific notation otherwise), without
 * building a String per value.
 *
 * <p>Why not {@code Float.toString}: a MiniLM response is 49,152 floats, and going through a String
 * and Jackson's generator for each of them cost about a quarter of the model's own time
 * (docs/benchmarks.md, "REST JSON path"). The algorithm is Raffaello Giulietti's Schubfach, which
 * the JDK has used for {@code Float.toString} since 19 (so the output is the same by construction,
 * and {@code FloatDecimalTest} checks it against the JDK over a spread of floats); only where the
 * digits go differs.
 */
final class FloatDecimal {
  private FloatDecimal() {}

  /** The most bytes one value takes: sign, 9 digits, '.', 'E', exponent sign and 2 digits. */
  static final int MAX_BYTES = 15;

  private static final int P = 24; // precision in bits
  private static final int W = 8; // exponent width in bits
  private static final int Q_MIN = (-1 << (W - 1)) - P + 3;
  private static final int C_MIN = 1 << (P - 1);
  private static final int BQ_MASK = (1 << W) - 1;
  private static final int T_MASK = (1 << (P - 1)) - 1;
  private static final int C_TINY = 8;
  private static final int K_MIN = -45;
  private static final int K_MAX = 31;
  private static final int H = 9; // decimal digits carried
  private static final long MASK_32 = (1L << 32) - 1;
  private static final int MASK_28 = (1 << 28) - 1;

  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  /** The upper 63 bits of g(k) = floor(10^-k 2^-r) + 1, 2^125 <= 10^-k 2^-r < 2^126. */
  private static final long[] G1 = g1Table();

  /**
   * Writes {@code v} at {@code at}; the caller leaves {@link #MAX_BYTES} of room.
   *
   * @return the index after the last byte written
   * @throws IllegalArgumentException for NaN and the infinities (JSON has no literal for them; the
   *     caller decides their form)
   */
  static int write(float v, byte[] out, int at) {
    int bits = Float.floatToRawIntBits(v);
    int t = bits & T_MASK;
    int bq = (bits >>> (P - 1)) & BQ_MASK;
    if (bq == BQ_MASK) {
      throw new IllegalArgumentException("not a finite float: " + v);
    }
    int i = at;
    if (bits < 0) {
      out[i++] = '-';
    }
    if (bq != 0) {
      int mq = -Q_MIN + 1 - bq;
      int c = C_MIN | t;
      // Integers below 2^24 are their own shortest decimal.
      if (0 < mq && mq < P) {
        int f = c >> mq;
        if (f << mq == c) {
          return digits(out, i, f, 0);
        }
      }
      return decimal(out, i, -mq, c, 0);
    }
    if (t != 0) {
      return t < C_TINY ? decimal(out, i, Q_MIN, 10 * t, -1) : decimal(out, i, Q_MIN, t, 0);
    }
    out[i++] = '0';
    out[i++] = '.';
    out[i++] = '0';
    return i;
  }

  /** Finds the shortest decimal in the rounding interval of c 2^q, then writes it. */
  private static int decimal(byte[] out, int at, int q, int c, int dk) {
    int odd = c & 0x1;
    long cb = (long) c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      // The gap below a power of two is half the gap above it.
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 33;
    long g = G1[k - K_MIN] + 1;
    int vb = rop(g, cb << h);
    int vbl = rop(g, cbl << h);
    int vbr = rop(g, cbr << h);
    int s = vb >> 2;
    if (s >= 100) {
      int sp10 = 10 * (int) (s * 1_717_986_919L >>> 34);
      int tp10 = sp10 + 10;
      boolean upin = vbl + odd <= sp10 << 2;
      boolean wpin = (tp10 << 2) + odd <= vbr;
      if (upin != wpin) {
        return digits(out, at, upin ? sp10 : tp10, k);
      }
    }
    int t = s + 1;
    boolean uin = vbl + odd <= s << 2;
    boolean win = (t << 2) + odd <= vbr;
    if (uin != win) {
      return digits(out, at, uin ? s : t, k + dk);
    }
    int cmp = vb - ((s + t) << 1);
    return digits(out, at, cmp < 0 || (cmp == 0 && (s & 0x1) == 0) ? s : t, k + dk);
  }

  /** Rounds to odd the product of g and cp, scaled down by 2^95. */
  private static int rop(long g, long cp) {
    long x1 = Math.multiplyHigh(g, cp);
    long vbp = x1 >>> 31;
    return (int) (vbp | ((x1 & MASK_32) + MASK_32) >>> 32);
  }

  /** Writes f 10^e in Float.toString's layout. */
  private static int digits(byte[] out, int at, int f, int e) {
    int len = flog10pow2(Integer.SIZE - Integer.numberOfLeadingZeros(f));
    if (f >= POW10[len]) {
      len += 1;
    }
    // Now 0.f 10^e with f scaled to exactly H digits: h the first, l the other eight.
    f *= POW10[H - len];
    e += len;
    int h = (int) (f * 1_441_151_881L >>> 57);
    int l = f - 100_000_000 * h;
    if (0 < e && e <= 7) {
      return plain(out, at, h, l, e);
    }
    if (-3 < e && e <= 0) {
      return leadingZeros(out, at, h, l, e);
    }
    return scientific(out, at, h, l, e);
  }

  /** 0 < e <= 7: e integer digits, '.', the rest. */
  private static int plain(byte[] out, int at, int h, int l, int e) {
    int i = at;
    out[i++] = (byte) ('0' + h);
    int y = fraction(l);
    int n = 1;
    for (; n < e; n++) {
      int t = 10 * y;
      out[i++] = (byte) ('0' + (t >>> 28));
      y = t & MASK_28;
    }
    out[i++] = '.';
    for (; n <= 8; n++) {
      int t = 10 * y;
      out[i++] = (byte) ('0' + (t >>> 28));
      y = t & MASK_28;
    }
    return dropTrailingZeros(out, i);
  }

  /** -3 < e <= 0: "0.", -e zeros, the digits. */
  private static int leadingZeros(byte[] out, int at, int h, int l, int e) {
    int i = at;
    out[i++] = '0';
    out[i++] = '.';
    for (; e < 0; e++) {
      out[i++] = '0';
    }
    out[i++] = (byte) ('0' + h);
    i = eightDigits(out, i, l);
    return dropTrailingZeros(out, i);
  }

  /** Otherwise d.dddE[-]x. */
  private static int scientific(byte[] out, int at, int h, int l, int e) {
    int i = at;
    out[i++] = (byte) ('0' + h);
    out[i++] = '.';
    i = eightDigits(out, i, l);
    i = dropTrailingZeros(out, i);
    out[i++] = 'E';
    int x = e - 1;
    if (x < 0) {
      out[i++] = '-';
      x = -x;
    }
    if (x < 10) {
      out[i++] = (byte) ('0' + x);
      return i;
    }
    int d = x * 103 >>> 10;
    out[i++] = (byte) ('0' + d);
    out[i++] = (byte) ('0' + x - 10 * d);
    return i;
  }

  private static int eightDigits(byte[] out, int at, int l) {
    int i = at;
    int y = fraction(l);
    for (int n = 0; n < 8; n++) {
      int t = 10 * y;
      out[i++] = (byte) ('0' + (t >>> 28));
      y = t & MASK_28;
    }
    return i;
  }

  /**
   * l (8 digits) as a 28-bit binary fraction y with l = y 10^8 / 2^28 rounded up, so that each
   * multiplication by 10 moves the next digit into bits 28 and above.
   */
  private static int fraction(int l) {
    return (int) (Math.multiplyHigh((long) (l + 1) << 28, 193_428_131_138_340_668L) >>> 20) - 1;
  }

  /** Drops trailing zeros, keeping one digit after the '.'. */
  private static int dropTrailingZeros(byte[] out, int end) {
    int i = end;
    while (out[i - 1] == '0') {
      i--;
    }
    if (out[i - 1] == '.') {
      i++;
    }
    return i;
  }

  /** floor(e log10(2)). */
  private static int flog10pow2(int e) {
    return (int) (e * 661_971_961_083L >> 41);
  }

  /** floor(log10(3/4 2^e)). */
  private static int flog10threeQuartersPow2(int e) {
    return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
  }

  /** floor(e log2(10)). */
  private static int flog2pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }

  private static long[] g1Table() {
    long[] table = new long[K_MAX - K_MIN + 1];
    for (int k = K_MIN; k <= K_MAX; k++) {
      // 10^-k 2^(125 - flog2pow10(-k)) lies in [2^125, 2^126); g is its floor plus one.
      int shift = 125 - flog2pow10(-k);
      BigInteger num = k <= 0 ? BigInteger.TEN.pow(-k) : BigInteger.ONE;
      BigInteger den = k > 0 ? BigInteger.TEN.pow(k) : BigInteger.ONE;
      if (shift >= 0) {
        num = num.shiftLeft(shift);
      } else {
        den = den.shiftLeft(-shift);
      }
      BigInteger g = num.divide(den).add(BigInteger.ONE);
      table[k - K_MIN] = g.shiftRight(63).longValueExact();
    }
    return table;
  }
}
