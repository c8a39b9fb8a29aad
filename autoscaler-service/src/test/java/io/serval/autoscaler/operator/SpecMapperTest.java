package io.serval.autoscaler.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.autoscaler.scaling.AutoscalingSpec;
import io.serval.autoscaler.scaling.InvalidSpecException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpecMapperTest {

  @Test
  void readsEveryFieldAndDefaultsTheUnset() {
    AutoscalingSpec s =
        SpecMapper.toSpec(
            io.serval.proto.control.AutoscalingSpec.newBuilder()
                .setMinReplicas(0)
                .setMaxReplicas(7)
                .setTargetInFlight(4)
                .setWindow(com.google.protobuf.Duration.newBuilder().setSeconds(30))
                .setUpscaleStabilizationPeriod(com.google.protobuf.Duration.getDefaultInstance())
                .setMaxDownscaleFactor(0.5)
                .setDownscaleTolerance(0.1)
                .setOverprovisioning(0.25)
                .build());
    assertThat(s.maxReplicas()).isEqualTo(7);
    assertThat(s.window()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.upscaleStabilizationPeriod()).isZero();
    assertThat(s.downscaleStabilizationPeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.maxUpscaleFactor()).isEqualTo(1.5);
    assertThat(s.maxDownscaleFactor()).isEqualTo(0.5);
    assertThat(s.overprovisioning()).isEqualTo(0.25);
    assertThat(s.panic()).hasValueSatisfying(p -> assertThat(p.threshold()).isEqualTo(2.0));
  }

  @Test
  void aSpecWithoutTargetIsRefusedByName() {
    assertThatThrownBy(
            () ->
                SpecMapper.toSpec(
                    io.serval.proto.control.AutoscalingSpec.newBuilder().setMaxReplicas(3).build()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("targetInFlight");
  }
}
