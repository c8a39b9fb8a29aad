package io.serval.router.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.serval.proto.inference.ModelInferRequest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelNameFieldTest {
  private final ModelInferRequest request =
      ModelInferRequest.newBuilder()
          .setModelName("classifier")
          .setModelVersion("3")
          .setId("req-1")
          .addInputs(
              ModelInferRequest.InferInputTensor.newBuilder()
                  .setName("x")
                  .setDatatype("FP32")
                  .addShape(1)
                  .addShape(2))
          .addRawInputContents(ByteString.copyFrom(new byte[300]))
          .build();

  @Test
  void readsTheNameWithoutDecodingTheTensors() {
    assertThat(ModelNameField.read(request.toByteArray())).isEqualTo("classifier");
    assertThat(ModelNameField.read(new byte[0])).isEmpty();
  }

  @Test
  void replacesTheNameAndKeepsEveryOtherFieldByteForByte() throws Exception {
    byte[] out = ModelNameField.replace(request.toByteArray(), "a-much-longer-model-name-é");
    ModelInferRequest parsed = ModelInferRequest.parseFrom(out);
    assertThat(parsed.getModelName()).isEqualTo("a-much-longer-model-name-é");
    assertThat(parsed.toBuilder().setModelName("classifier").build()).isEqualTo(request);
  }

  @Test
  void addsTheNameWhenAbsentAndCollapsesRepeatedNames() throws Exception {
    byte[] noName = request.toBuilder().clearModelName().build().toByteArray();
    assertThat(ModelInferRequest.parseFrom(ModelNameField.replace(noName, "m")).getModelName())
        .isEqualTo("m");

    byte[] twice =
        concat(
            request.toByteArray(),
            request.toBuilder()
                .clearInputs()
                .clearRawInputContents()
                .setModelName("late")
                .build()
                .toByteArray());
    assertThat(ModelNameField.read(twice)).isEqualTo("late");
    byte[] replaced = ModelNameField.replace(twice, "m");
    assertThat(ModelNameField.read(replaced)).isEqualTo("m");
    assertThat(ModelInferRequest.parseFrom(replaced).getModelName()).isEqualTo("m");
  }

  @Test
  void refusesTruncatedMessages() {
    byte[] bytes = request.toByteArray();
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 10);
    assertThatThrownBy(() -> ModelNameField.read(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("past the end");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aModelNameThatIsNotUtf8IsMalformedAsProtobufSays() {
    byte[] msg = {0x0a, 0x02, (byte) 0xff, (byte) 0xfe};
    assertThatThrownBy(() -> ModelInferRequest.parseFrom(msg))
        .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> ModelNameField.read(msg))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model_name is not valid UTF-8");
  }

  @Test
  void fieldNumberZeroIsMalformedAsProtobufSays() {
    byte[] msg = {0x00, 0x01, 0x0a, 0x01, 'm'};
    assertThatThrownBy(() -> ModelInferRequest.parseFrom(msg))
        .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> ModelNameField.read(msg))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field number 0");
  }
}
