package io.serval.v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.proto.inference.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InferResponseWriterTest {

  static RawTensor sample(String name, Datatype type) {
    return new RawTensor(name, type, Samples.SHAPE.clone(), Samples.bytesFor(type));
  }

  @ParameterizedTest
  @EnumSource(Datatype.class)
  void rawOutputsCarryTheBytes(Datatype type) {
    ModelInferResponse resp =
        InferResponseWriter.build("m", "3", "id-1", List.of(sample("y", type)), true);

    assertThat(resp.getModelName()).isEqualTo("m");
    assertThat(resp.getModelVersion()).isEqualTo("3");
    assertThat(resp.getId()).isEqualTo("id-1");
    assertThat(resp.getOutputs(0).getName()).isEqualTo("y");
    assertThat(resp.getOutputs(0).getDatatype()).isEqualTo(type.name());
    assertThat(resp.getOutputs(0).getShapeList()).containsExactly(2L, 3L);
    assertThat(resp.getOutputs(0).hasContents()).isFalse();
    assertThat(resp.getRawOutputContents(0).toByteArray())
        .isEqualTo(Samples.toArray(Samples.bytesFor(type)));
  }

  @ParameterizedTest
  @EnumSource(
      value = Datatype.class,
      names = {"FP16", "BF16"},
      mode = EnumSource.Mode.EXCLUDE)
  void typedOutputsUseTheDatatypesField(Datatype type) {
    ModelInferResponse resp =
        InferResponseWriter.build("m", null, null, List.of(sample("y", type)), false);

    assertThat(resp.getRawOutputContentsCount()).isZero();
    assertThat(resp.getOutputs(0).getContents()).isEqualTo(InferRequestReaderTest.typed(type));
  }

  @Test
  void halfPrecisionSendsEveryOutputRaw() {
    ModelInferResponse resp =
        InferResponseWriter.build(
            "m",
            null,
            null,
            List.of(sample("a", Datatype.FP32), sample("h", Datatype.BF16)),
            false);
    assertThat(resp.getRawOutputContentsCount()).isEqualTo(2);
    assertThat(resp.getOutputsList()).noneMatch(o -> o.hasContents());
  }

  @Test
  void directBuffersAreCopiedSoTheirOwnerMayFreeThem() {
    ByteBuffer direct = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
    direct.putFloat(1f).putFloat(2f).flip();
    RawTensor t = new RawTensor("y", Datatype.FP32, new long[] {2}, direct);
    ModelInferResponse resp = InferResponseWriter.build("m", null, null, List.of(t), true);
    direct.putFloat(0, 99f);
    assertThat(
            resp.getRawOutputContents(0)
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .getFloat(0))
        .isEqualTo(1f);
  }
}
