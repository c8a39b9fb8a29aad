package io.serval.operator.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serval.operator.control.ResourcesChanged;
import io.serval.operator.metrics.OperatorMetrics;
import io.serval.operator.routes.RoutePublisher;
import io.serval.operator.runtime.ReplicaInfo;
import io.serval.operator.runtime.ReplicaRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order in which the operator hears of a change is fixed and readable. */
class ChangePropagationTest {

  private final List<String> calls = new ArrayList<>();

  private final ReplicaRuntime runtime =
      new ReplicaRuntime() {
        @Override
        public void desiredStateChanged() {
          calls.add("runtime.desiredStateChanged");
        }

        @Override
        public List<ReplicaInfo> replicas(String api) {
          return List.of();
        }

        @Override
        public long observedGeneration(String api) {
          return 0;
        }

        @Override
        public boolean tracksReadiness() {
          return true;
        }

        @Override
        public List<String> logs(String api, int maxLines) {
          return List.of();
        }
      };

  private final RoutePublisher routes =
      new RoutePublisher(null, null, null, null) {
        @Override
        public void refresh() {
          calls.add("routes.refresh");
        }
      };

  private final RolloutDriver rollouts =
      new RolloutDriver(null, null, null, null, null) {
        @Override
        public void endpointsChanged() {
          calls.add("rollouts.endpointsChanged");
        }
      };

  private final OperatorMetrics metrics =
      new OperatorMetrics(new SimpleMeterRegistry(), List::of, api -> List.of(), r -> false) {
        @Override
        public synchronized void refresh() {
          calls.add("metrics.refresh");
        }
      };

  private final ChangePropagation propagation =
      new ChangePropagation(() -> runtime, () -> routes, () -> rollouts, () -> metrics);

  @Test
  void aStoredChangeReachesTheRuntimeThenTheRoutes() {
    propagation.resourcesChanged(new ResourcesChanged(Set.of("a"), Set.of()));
    assertThat(calls)
        .containsExactly("runtime.desiredStateChanged", "routes.refresh", "metrics.refresh");
  }

  @Test
  void anEndpointChangeRepublishesRoutesThenLooksAtRollouts() {
    propagation.endpointsChanged("a");
    assertThat(calls).containsExactly("routes.refresh", "rollouts.endpointsChanged");
  }
}
