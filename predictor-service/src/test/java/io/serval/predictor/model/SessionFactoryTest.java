package io.serval.predictor.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionFactoryTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void intraOpThreadsBlockInsteadOfSpinning(int threads) throws OrtException {
    try (OrtSession.SessionOptions opts = SessionFactory.options(threads, 0)) {
      assertThat(opts.getConfigEntries()).containsEntry(SessionFactory.ALLOW_SPINNING, "0");
    }
  }
}
