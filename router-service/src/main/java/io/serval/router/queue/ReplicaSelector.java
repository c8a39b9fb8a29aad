package io.serval.router.queue;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: among the replicas with a free slot, two are drawn at random and the one
 * with fewer requests in flight wins. Cheaper than a full scan and avoids the herd that "least
 * loaded" causes when many requests see the same counts.
 */
public final class ReplicaSelector {
  private final RandomGenerator random;

  public ReplicaSelector(RandomGenerator random) {
    this.random = random;
  }

  /**
   * @param replicas candidate addresses
   * @param inFlight requests the router has in flight on a replica
   * @param maxConcurrency slots per replica
   * @param usable false for replicas that are ejected
   * @param excluded replicas this request must not go to (already tried); may be empty
   * @return the chosen replica, or null when none has a free slot
   */
  public String pick(
      List<String> replicas,
      ToIntFunction<String> inFlight,
      int maxConcurrency,
      Predicate<String> usable,
      Set<String> excluded) {
    int n = replicas.size();
    int free = 0;
    for (int i = 0; i < n; i++) {
      if (isFree(replicas.get(i), inFlight, maxConcurrency, usable, excluded)) {
        free++;
      }
    }
    if (free == 0) {
      return null;
    }
    if (free == 1) {
      return nthFree(replicas, 0, inFlight, maxConcurrency, usable, excluded);
    }
    int a = random.nextInt(free);
    int b = random.nextInt(free - 1);
    if (b >= a) {
      b++;
    }
    String first = nthFree(replicas, a, inFlight, maxConcurrency, usable, excluded);
    String second = nthFree(replicas, b, inFlight, maxConcurrency, usable, excluded);
    return inFlight.applyAsInt(second) < inFlight.applyAsInt(first) ? second : first;
  }

  private static boolean isFree(
      String r,
      ToIntFunction<String> inFlight,
      int maxConcurrency,
      Predicate<String> usable,
      Set<String> excluded) {
    return inFlight.applyAsInt(r) < maxConcurrency
        && usable.test(r)
        && (excluded.isEmpty() || !excluded.contains(r));
  }

  private static String nthFree(
      List<String> replicas,
      int nth,
      ToIntFunction<String> inFlight,
      int maxConcurrency,
      Predicate<String> usable,
      Set<String> excluded) {
    int seen = 0;
    for (String r : replicas) {
      if (isFree(r, inFlight, maxConcurrency, usable, excluded) && seen++ == nth) {
        return r;
      }
    }
    throw new IllegalStateException("replica set changed during a pick");
  }
}
