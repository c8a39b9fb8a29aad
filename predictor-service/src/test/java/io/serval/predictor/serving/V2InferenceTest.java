package io.serval.predictor.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import com.google.protobuf.ByteString;
import io.serval.predictor.batching.BatchingPolicy;
import io.serval.predictor.inference.EngineSettings;
import io.serval.predictor.inference.InferenceEngine;
import io.serval.predictor.inference.InferenceMetrics;
import io.serval.predictor.metrics.RequestOutcomes;
import io.serval.predictor.model.SessionFactory;
import io.serval.proto.inference.InferTensorContents;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.testmodels.TestModels;
import io.serval.v2.V2Exception;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every datatype ONNX models can take, through the V2 layer both transports share: Identity models
 * must hand back exactly what they got, in raw form and in the typed contents fields.
 */
class V2InferenceTest {
  @TempDir Path dir;

  private final java.util.List<InferenceEngine> engines = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void stopEngines() {
    engines.forEach(e -> e.shutdown(Duration.ofSeconds(5)));
  }

  private V2Inference start(String datatype, long... shape) {
    Path file = TestModels.write(dir, "id.onnx", TestModels.identity(datatype, shape));
    InferenceEngine engine =
        InferenceEngine.start(
            new EngineSettings("id", 1, new BatchingPolicy(4, Duration.ofMillis(1), 16), true),
            new SessionFactory(OrtEnvironment.getEnvironment(), file, 1, 0),
            InferenceMetrics.NONE);
    engines.add(engine);
    return new V2Inference(new ServedModel("id", Optional.of("3")), engine, RequestOutcomes.NONE);
  }

  /** Element bytes of a 2x3 tensor in the V2 binary layout. */
  private static ByteBuffer sample(String datatype) {
    Random rnd = new Random(datatype.hashCode());
    ByteBuffer b = ByteBuffer.allocate(6 * 8 + 64).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      switch (datatype) {
        case "BOOL" -> b.put((byte) (i % 2));
        case "UINT8", "INT8" -> b.put((byte) (rnd.nextInt(256) - 128));
        case "UINT16", "INT16", "FP16" -> b.putShort((short) rnd.nextInt(0x7bff));
        case "UINT32", "INT32" -> b.putInt(rnd.nextInt());
        case "UINT64", "INT64" -> b.putLong(rnd.nextLong());
        case "FP32" -> b.putFloat(rnd.nextFloat() * 100 - 50);
        case "FP64" -> b.putDouble(rnd.nextDouble() * 1e6);
        case "BYTES" -> {
          byte[] s = (i == 0 ? "" : "héllo-" + i).getBytes(StandardCharsets.UTF_8);
          b.putInt(s.length).put(s);
        }
        default -> throw new IllegalArgumentException(datatype);
      }
    }
    return b.flip();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16",
        "FP32", "FP64", "BYTES"
      })
  void rawContentsRoundTripExactly(String datatype) throws Exception {
    V2Inference v2 = start(datatype, -1, 3);
    ByteString data = ByteString.copyFrom(sample(datatype));
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .setModelName("id")
            .setId("req-" + datatype)
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("input")
                    .setDatatype(datatype)
                    .addShape(2)
                    .addShape(3))
            .addRawInputContents(data)
            .build();
    ModelInferResponse resp = v2.infer(req, true).get(10, TimeUnit.SECONDS);
    assertThat(resp.getModelName()).isEqualTo("id");
    assertThat(resp.getModelVersion()).isEqualTo("3");
    assertThat(resp.getId()).isEqualTo("req-" + datatype);
    assertThat(resp.getOutputs(0).getName()).isEqualTo("output");
    assertThat(resp.getOutputs(0).getDatatype()).isEqualTo(datatype);
    assertThat(resp.getOutputs(0).getShapeList()).containsExactly(2L, 3L);
    assertThat(resp.getRawOutputContents(0)).isEqualTo(data);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP32",
        "FP64", "BYTES"
      })
  void typedContentsRoundTripExactly(String datatype) throws Exception {
    V2Inference v2 = start(datatype, -1, 3);
    InferTensorContents contents = typed(datatype);
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .setModelName("id")
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("input")
                    .setDatatype(datatype)
                    .addShape(2)
                    .addShape(3)
                    .setContents(contents))
            .build();
    ModelInferResponse resp = v2.infer(req, false).get(10, TimeUnit.SECONDS);
    assertThat(resp.getRawOutputContentsCount()).isZero();
    assertThat(resp.getOutputs(0).getContents()).isEqualTo(contents);
  }

  private static InferTensorContents typed(String datatype) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (int i = 0; i < 6; i++) {
      switch (datatype) {
        case "BOOL" -> c.addBoolContents(i % 2 == 0);
        case "UINT8" -> c.addUintContents(250 - i);
        case "UINT16" -> c.addUintContents(65_000 + i);
        case "UINT32" -> c.addUintContents(-1 - i); // 0xFFFFFFFF - i as unsigned
        case "UINT64" -> c.addUint64Contents(-1L - i);
        case "INT8" -> c.addIntContents(-128 + i);
        case "INT16" -> c.addIntContents(-32_768 + i);
        case "INT32" -> c.addIntContents(Integer.MIN_VALUE + i);
        case "INT64" -> c.addInt64Contents(Long.MIN_VALUE + i);
        case "FP32" -> c.addFp32Contents(i * 1.5f - 3.25f);
        case "FP64" -> c.addFp64Contents(i * 1e-300);
        case "BYTES" -> c.addBytesContents(ByteString.copyFromUtf8("s" + i + "ü"));
        default -> throw new IllegalArgumentException(datatype);
      }
    }
    return c.build();
  }

  @Test
  void unknownModelOrVersionIsNotFound() {
    V2Inference v2 = start("FP32", -1, 3);
    ModelInferRequest other = ModelInferRequest.newBuilder().setModelName("other").build();
    assertThatThrownBy(() -> v2.infer(other, true).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(V2Exception.class)
        .hasMessageContaining("unknown model 'other'");
    assertThatThrownBy(() -> v2.metadata("id", "9"))
        .isInstanceOf(V2Exception.class)
        .hasMessageContaining("no version '9'")
        .matches(e -> ((V2Exception) e).httpStatus() == 404);
    assertThat(v2.metadata("id", "3").getVersionsList()).containsExactly("3");
    assertThat(v2.metadata("id", "").getInputs(0).getShapeList()).containsExactly(-1L, 3L);
  }
}
