package io.serval.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderStateTest {

  @Test
  void theLeaderAndASoleOperatorTakeChanges() {
    assertThat(LeaderState.SOLE.refusal()).isEmpty();
    assertThat(new LeaderState(true, "op-0", Optional.of("op-0")).refusal()).isEmpty();
  }

  @Test
  void aFollowerRefusesNamingTheLeader() {
    assertThat(new LeaderState(false, "op-1", Optional.of("op-0")).refusal())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("(op-1) is not the leader")
                    .contains("the leader is op-0"));
  }

  @Test
  void beforeAnElectionEveryReplicaRefuses() {
    assertThat(new LeaderState(false, "op-1", Optional.empty()).refusal())
        .hasValueSatisfying(why -> assertThat(why).contains("no leader is elected yet"));
    // A replica that just lost the lease and still sees itself as the last leader.
    assertThat(new LeaderState(false, "op-1", Optional.of("op-1")).refusal())
        .hasValueSatisfying(why -> assertThat(why).contains("no leader is elected yet"));
  }
}
