package io.serval.specrules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounds of {@code spec.async} (issue 14's async requests), in one place: the operator refuses
 * a spec that breaks them, and the docs name the same numbers.
 *
 * <ul>
 *   <li>{@code resultTtl} at least 1 minute: a client polls for its result; a shorter keep would
 *       delete results before a client polling at an ordinary pace has read them.
 *   <li>{@code resultTtl} at most 30 days: results are users' data in the router's store; keeping
 *       them longer is what an output bucket is for, not a request store.
 * </ul>
 */
public final class AsyncRules {

  private static final String PREFIX = "spec.async.";

  /** How long a result is kept when the spec says nothing (issue 14: 24h). */
  public static final Duration DEFAULT_RESULT_TTL = Duration.ofHours(24);

  /** The shortest {@code resultTtl}. */
  public static final Duration MIN_RESULT_TTL = Duration.ofMinutes(1);

  /** The longest {@code resultTtl}. */
  public static final Duration MAX_RESULT_TTL = Duration.ofDays(30);

  private AsyncRules() {}

  /** Every broken bound; empty when {@code resultTtl} is valid. */
  public static List<SpecProblem> check(Duration resultTtl) {
    List<SpecProblem> problems = new ArrayList<>();
    if (resultTtl == null) {
      problems.add(new SpecProblem(PREFIX + "resultTtl", "must be set"));
    } else if (resultTtl.compareTo(MIN_RESULT_TTL) < 0 || resultTtl.compareTo(MAX_RESULT_TTL) > 0) {
      problems.add(
          new SpecProblem(
              PREFIX + "resultTtl",
              "must be between "
                  + Durations.format(MIN_RESULT_TTL)
                  + " and "
                  + Durations.format(MAX_RESULT_TTL)
                  + ", got "
                  + Durations.format(resultTtl)));
    }
    return problems;
  }
}
