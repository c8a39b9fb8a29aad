package io.serval.autoscaler.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionOutboxTest {

  private final DecisionOutbox outbox = new DecisionOutbox();

  @Test
  void theLatestDecisionPerApiWins() {
    outbox.offer("a", 3, "first");
    outbox.offer("a", 5, "second");
    outbox.offer("b", 2, "other");
    assertThat(outbox.snapshot())
        .extracting(DecisionOutbox.Pending::api, DecisionOutbox.Pending::replicas)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 5),
            org.assertj.core.groups.Tuple.tuple("b", 2));
  }

  @Test
  void deliveringAnOlderDecisionKeepsTheNewerOne() {
    DecisionOutbox.Pending sent = outbox.offer("a", 3, "first");
    outbox.offer("a", 5, "second"); // arrives while the first is on the wire
    assertThat(outbox.complete(sent)).isFalse();
    assertThat(outbox.snapshot()).extracting(DecisionOutbox.Pending::replicas).containsExactly(5);
  }

  @Test
  void repeatingTheSameDecisionDoesNotMakeASecondDelivery() {
    DecisionOutbox.Pending sent = outbox.offer("a", 3, "first");
    outbox.offer("a", 3, "again");
    assertThat(outbox.complete(sent)).isTrue();
    assertThat(outbox.size()).isZero();
  }

  @Test
  void cancelAndRetainDropDecisions() {
    outbox.offer("a", 3, "x");
    outbox.offer("b", 3, "x");
    outbox.offer("c", 3, "x");
    outbox.cancel("a");
    outbox.retainOnly(Set.of("a", "b"));
    assertThat(outbox.snapshot()).extracting(DecisionOutbox.Pending::api).containsExactly("b");
  }
}
