package io.serval.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaEjectorTest {
  private final ReplicaEjector ejector = new ReplicaEjector(3);

  @Test
  void ejectsAfterConsecutiveFailuresUntilReadmitted() {
    assertThat(ejector.recordFailure("a")).isFalse();
    assertThat(ejector.recordFailure("a")).isFalse();
    assertThat(ejector.usable("a")).isTrue();
    assertThat(ejector.recordFailure("a")).isTrue();
    assertThat(ejector.usable("a")).isFalse();
    assertThat(ejector.ejected()).containsExactly("a");
    assertThat(ejector.recordFailure("a")).as("ejected once").isFalse();

    ejector.readmit("a");
    assertThat(ejector.usable("a")).isTrue();
    assertThat(ejector.recordFailure("a")).as("a clean record after readmission").isFalse();
  }

  @Test
  void ejectTakesAReplicaOutAtOnce() {
    assertThat(ejector.eject("a")).isTrue();
    assertThat(ejector.usable("a")).isFalse();
    assertThat(ejector.eject("a")).as("ejected once").isFalse();
    ejector.readmit("a");
    assertThat(ejector.usable("a")).isTrue();
  }

  @Test
  void aSuccessResetsTheCount() {
    ejector.recordFailure("a");
    ejector.recordFailure("a");
    ejector.recordSuccess("a");
    ejector.recordFailure("a");
    ejector.recordFailure("a");
    assertThat(ejector.usable("a")).isTrue();
  }

  @Test
  void forgetsReplicasThatLeftTheRoutes() {
    for (int i = 0; i < 3; i++) {
      ejector.recordFailure("gone");
    }
    ejector.retain(Set.of("other"));
    assertThat(ejector.ejected()).isEmpty();
  }
}
