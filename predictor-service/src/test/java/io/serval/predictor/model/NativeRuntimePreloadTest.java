package io.serval.predictor.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;

class NativeRuntimePreloadTest {

  @Test
  void theModelLoadJoinsThePreloadAndGetsTheProcessEnvironment() {
    NativeRuntimePreload.start();
    NativeRuntimePreload.start(); // once per process: a second call starts nothing
    OrtEnvironment env = NativeRuntimePreload.await();
    assertThat(env).isSameAs(OrtEnvironment.getEnvironment());
    assertThat(NativeRuntimePreload.preloadNanos()).isGreaterThanOrEqualTo(0);
  }
}
