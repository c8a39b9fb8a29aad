package io.serval.specrules;

/** Numbers in problem messages as people write them in specs: 2 rather than 2.0. */
public final class SpecNumbers {

  private SpecNumbers() {}

  public static String format(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v)
        ? Long.toString((long) v)
        : Double.toString(v);
  }
}
