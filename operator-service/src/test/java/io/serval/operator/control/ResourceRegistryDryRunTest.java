package io.serval.operator.control;

import static io.serval.operator.spec.SpecFixtures.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.serval.operator.MutableClock;
import io.serval.operator.OperatorConfig;
import io.serval.operator.spec.Problems;
import io.serval.operator.spec.ReplicaCap;
import io.serval.operator.spec.SpecException;
import io.serval.operator.state.StateStore;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dry run ({@link ResourceRegistry#plan}) takes the real deploy's path up to the plan and its
 * limits, and stops there: nothing stored, no listener told, no generation bumped.
 */
class ResourceRegistryDryRunTest {

  @TempDir Path stateDir;

  final List<ResourcesChanged> heard = new ArrayList<>();
  ResourceRegistry registry;

  /** A runtime that runs at most 2 replicas per API, 3 in all, and refuses an API named "nope". */
  static final DeployLimits LIMITS =
      new DeployLimits() {
        @Override
        public Optional<ReplicaCap> replicaCap() {
          return Optional.of(new ReplicaCap("test", 2, "per-api", 3, "total"));
        }

        @Override
        public void check(List<PlannedChange> plan) {
          Problems problems = new Problems();
          plan.stream()
              .filter(c -> c.name().equals("nope"))
              .forEach(c -> problems.scope(c.name()).add("spec.model.uri", "refused here"));
          problems.throwIfAny();
        }
      };

  @BeforeEach
  void setUp() {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultSources()
            .withDefaultValues(
                Map.of(
                    "serval.operator.state-dir",
                    stateDir.toString(),
                    "serval.operator.runtime",
                    "none"))
            .withConverter(Duration.class, 100, new DurationConverter())
            .withMapping(OperatorConfig.class)
            .build();
    registry =
        new ResourceRegistry(
            new StateStore(stateDir),
            config.getConfigMapping(OperatorConfig.class),
            LIMITS,
            heard::add,
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
  }

  private List<Path> stateFiles() throws IOException {
    try (Stream<Path> files = Files.walk(stateDir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aDryRunPlansLikeADeployAndStoresNothing() throws IOException {
    List<Path> before = stateFiles();

    DryRun run = registry.plan(api("a"));

    assertThat(run.plan())
        .singleElement()
        .extracting(PlannedChange::action)
        .isEqualTo(PlannedChange.Action.created);
    assertThat(registry.apis()).isEmpty();
    assertThat(heard).isEmpty();
    assertThat(stateFiles()).isEqualTo(before);
  }

  @Test
  void aDryRunOfAChangeKeepsTheDeployedRecordAndReturnsIt() {
    registry.deploy(api("a", "traffic: {maxConcurrency: 4}"));
    heard.clear();

    DryRun run = registry.plan(api("a", "traffic: {maxConcurrency: 8}"));

    assertThat(run.plan().getFirst().action()).isEqualTo(PlannedChange.Action.configured);
    assertThat(run.plan().getFirst().generation()).isEqualTo(2);
    assertThat(run.apiBefore("a")).hasValueSatisfying(r -> assertThat(r.generation()).isEqualTo(1));
    assertThat(registry.api("a").orElseThrow().generation()).isEqualTo(1);
    assertThat(registry.api("a").orElseThrow().api().spec().traffic().maxConcurrency())
        .isEqualTo(4);
    assertThat(heard).isEmpty();
  }

  @Test
  void aDryRunIsRefusedByTheRuntimesLimitsAndTheReplicaBudgetAsADeployIs() {
    assertThatThrownBy(() -> registry.plan(api("nope")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("refused here");
    assertThatThrownBy(() -> registry.deploy(api("nope")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("refused here");

    registry.deploy(api("a", "autoscaling: {minReplicas: 1, maxReplicas: 2}"));
    String over = api("b", "autoscaling: {minReplicas: 1, maxReplicas: 2}");
    SpecException dry = catchSpec(() -> registry.plan(over));
    SpecException real = catchSpec(() -> registry.deploy(over));
    assertThat(dry.problems()).isNotEmpty().isEqualTo(real.problems());
    assertThat(registry.api("b")).isEmpty();
  }

  private static SpecException catchSpec(Runnable r) {
    try {
      r.run();
    } catch (SpecException e) {
      return e;
    }
    throw new AssertionError("expected a SpecException");
  }
}
