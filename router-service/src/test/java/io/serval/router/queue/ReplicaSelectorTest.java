package io.serval.router.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplicaSelectorTest {
  private final ReplicaSelector selector = new ReplicaSelector(new SplittableRandom(1));
  private final Map<String, Integer> load = new HashMap<>();

  private int load(String r) {
    return load.getOrDefault(r, 0);
  }

  @Test
  void ofTwoFreeReplicasTakesTheLessLoaded() {
    load.put("a", 3);
    load.put("b", 1);
    for (int i = 0; i < 100; i++) {
      assertThat(selector.pick(List.of("a", "b"), this::load, 8, r -> true, Set.of()))
          .isEqualTo("b");
    }
  }

  @Test
  void skipsFullEjectedAndTriedReplicas() {
    load.put("full", 2);
    List<String> all = List.of("full", "ejected", "tried", "ok");
    for (int i = 0; i < 100; i++) {
      assertThat(selector.pick(all, this::load, 2, r -> !r.equals("ejected"), Set.of("tried")))
          .isEqualTo("ok");
    }
  }

  @Test
  void answersNullWhenNoReplicaHasAFreeSlot() {
    load.put("a", 1);
    load.put("b", 1);
    assertThat(selector.pick(List.of("a", "b"), this::load, 1, r -> true, Set.of())).isNull();
    assertThat(selector.pick(List.of(), this::load, 1, r -> true, Set.of())).isNull();
  }

  @Test
  void neverPicksTheMostLoadedOfManyAndSpreadsOverTheRest() {
    List<String> replicas = List.of("r0", "r1", "r2", "r3");
    load.put("r3", 7);
    Map<String, Integer> picks = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      picks.merge(selector.pick(replicas, this::load, 8, r -> true, Set.of()), 1, Integer::sum);
    }
    assertThat(picks).doesNotContainKey("r3");
    assertThat(picks.values()).allSatisfy(n -> assertThat(n).isGreaterThan(700));
  }
}
