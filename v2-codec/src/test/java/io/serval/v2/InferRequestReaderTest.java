package io.serval.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.serval.proto.inference.InferTensorContents;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InferRequestReaderTest {

  static InferInputTensor.Builder input(String name, Datatype type, long... shape) {
    InferInputTensor.Builder b =
        InferInputTensor.newBuilder().setName(name).setDatatype(type.name());
    for (long d : shape) {
      b.addShape(d);
    }
    return b;
  }

  /** Typed contents for the sample literals, built field by field without the codec. */
  static InferTensorContents typed(Datatype type) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (String s : Samples.literals(type)) {
      switch (type) {
        case BOOL -> c.addBoolContents(Boolean.parseBoolean(s));
        case INT8, INT16, INT32 -> c.addIntContents(Integer.parseInt(s));
        case INT64 -> c.addInt64Contents(Long.parseLong(s));
        case UINT8, UINT16, UINT32 -> c.addUintContents((int) Long.parseLong(s));
        case UINT64 -> c.addUint64Contents(Long.parseUnsignedLong(s));
        case FP32 -> c.addFp32Contents(Float.parseFloat(s));
        case FP64 -> c.addFp64Contents(Double.parseDouble(s));
        case BYTES -> {
          ByteBuffer b = Samples.bytes(type, List.of(s));
          b.position(4);
          c.addBytesContents(ByteString.copyFrom(b));
        }
        case FP16, BF16 -> throw new IllegalArgumentException();
      }
    }
    return c.build();
  }

  @ParameterizedTest
  @EnumSource(Datatype.class)
  void rawContentsAreWrappedAsLittleEndian(Datatype type) {
    ByteBuffer expected = Samples.bytesFor(type);
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .addInputs(input("x", type, Samples.SHAPE))
            .addRawInputContents(ByteString.copyFrom(expected.duplicate()))
            .build();

    RawTensor t = InferRequestReader.inputs(req).get(0);

    assertThat(t.name()).isEqualTo("x");
    assertThat(t.datatype()).isEqualTo(type);
    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(t.elementCount()).isEqualTo(6);
    assertThat(t.data().position()).isZero();
    assertThat(t.data().order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    assertThat(Samples.toArray(t.data())).isEqualTo(Samples.toArray(expected));
  }

  @ParameterizedTest
  @EnumSource(
      value = Datatype.class,
      names = {"FP16", "BF16"},
      mode = EnumSource.Mode.EXCLUDE)
  void typedContentsGiveTheSameBytesAsRaw(Datatype type) {
    ModelInferRequest typedReq =
        ModelInferRequest.newBuilder()
            .addInputs(input("x", type, Samples.SHAPE).setContents(typed(type)))
            .build();
    ModelInferRequest rawReq =
        ModelInferRequest.newBuilder()
            .addInputs(input("x", type, Samples.SHAPE))
            .addRawInputContents(ByteString.copyFrom(Samples.bytes(type)))
            .build();

    assertThat(InferRequestReader.inputs(typedReq)).isEqualTo(InferRequestReader.inputs(rawReq));
  }

  @Test
  void keepsInputOrderAndAllowsEmptyTensors() {
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .addInputs(input("b", Datatype.INT32, 0, 4))
            .addInputs(input("a", Datatype.BYTES, 0))
            .build();
    List<RawTensor> in = InferRequestReader.inputs(req);
    assertThat(in).extracting(RawTensor::name).containsExactly("b", "a");
    assertThat(in).allSatisfy(t -> assertThat(t.byteLength()).isZero());
  }

  private static ModelInferRequest rawFp32(long[] shape, int bytes) {
    return ModelInferRequest.newBuilder()
        .addInputs(input("a", Datatype.FP32, shape))
        .addRawInputContents(ByteString.copyFrom(new byte[bytes]))
        .build();
  }

  private static void assertInvalid(ModelInferRequest req, String message) {
    assertThatThrownBy(() -> InferRequestReader.inputs(req))
        .isInstanceOfSatisfying(V2Exception.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
        .hasMessage(message);
  }

  @Test
  void rawByteLengthMustMatchTheShape() {
    assertInvalid(
        rawFp32(new long[] {2, 3}, 20),
        "input 'a': shape [2,3] needs 6 FP32 elements (24 bytes) but 20 bytes were given");
  }

  @Test
  void rawEntriesMustMatchTheInputs() {
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .addInputs(input("a", Datatype.FP32, 1))
            .addInputs(input("b", Datatype.FP32, 1))
            .addRawInputContents(ByteString.copyFrom(new byte[4]))
            .build();
    assertInvalid(
        req,
        "raw_input_contents has 1 entries but the request has 2 inputs; it needs exactly one"
            + " entry per input, in input order");
  }

  @Test
  void rawAndTypedContentsCannotBeMixed() {
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .addInputs(input("a", Datatype.FP32, 1))
            .addInputs(
                input("b", Datatype.FP32, 1)
                    .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
            .addRawInputContents(ByteString.copyFrom(new byte[4]))
            .addRawInputContents(ByteString.copyFrom(new byte[4]))
            .build();
    assertInvalid(
        req,
        "input 'b' sets contents while the request uses raw_input_contents; when"
            + " raw_input_contents is used, no input may set contents");
  }

  @Test
  void typedCountMustMatchTheShape() {
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .addInputs(
                input("a", Datatype.FP32, 2, 3)
                    .setContents(
                        InferTensorContents.newBuilder().addFp32Contents(1f).addFp32Contents(2f)))
            .build();
    assertInvalid(
        req, "input 'a': shape [2,3] needs 6 FP32 elements but contents.fp32_contents has 2");
  }

  @Test
  void typedDataMustUseTheDatatypesField() {
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .addInputs(
                input("a", Datatype.FP32, 1)
                    .setContents(InferTensorContents.newBuilder().addIntContents(1)))
            .build();
    assertInvalid(
        req,
        "input 'a': FP32 data belongs in contents.fp32_contents, but contents.int_contents was set");
  }

  @Test
  void missingDataIsNamed() {
    ModelInferRequest req =
        ModelInferRequest.newBuilder().addInputs(input("a", Datatype.INT64, 1, 2)).build();
    assertInvalid(
        req,
        "input 'a' has no data: set contents.int64_contents or raw_input_contents (shape [1,2]"
            + " needs 2 elements)");
  }

  @Test
  void narrowIntegersAreRangeChecked() {
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .addInputs(
                input("a", Datatype.INT8, 2)
                    .setContents(
                        InferTensorContents.newBuilder().addIntContents(1).addIntContents(300)))
            .build();
    assertInvalid(
        req, "input 'a': contents.int_contents[1] = 300 is out of range for INT8 [-128, 127]");
    ModelInferRequest unsigned =
        ModelInferRequest.newBuilder()
            .addInputs(
                input("u", Datatype.UINT16, 1)
                    .setContents(InferTensorContents.newBuilder().addUintContents(-1)))
            .build();
    assertInvalid(
        unsigned,
        "input 'u': contents.uint_contents[0] = 4294967295 is out of range for UINT16 [0, 65535]");
  }

  @Test
  void halfPrecisionMustBeRaw() {
    ModelInferRequest req =
        ModelInferRequest.newBuilder()
            .addInputs(
                input("h", Datatype.FP16, 1)
                    .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
            .build();
    assertInvalid(
        req, "input 'h': FP16 data must be sent in raw_input_contents; it has no typed field");
  }

  @Test
  void bytesPrefixesMustCoverTheDataExactly() {
    ByteBuffer b = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(10).put(new byte[5]).flip();
    ModelInferRequest truncated =
        ModelInferRequest.newBuilder()
            .addInputs(input("s", Datatype.BYTES, 1))
            .addRawInputContents(ByteString.copyFrom(b))
            .build();
    assertInvalid(truncated, "input 's': BYTES element 0 declares 10 bytes but only 5 remain");

    ByteBuffer c = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    c.putInt(0).put(new byte[2]).flip();
    ModelInferRequest partialPrefix =
        ModelInferRequest.newBuilder()
            .addInputs(input("s", Datatype.BYTES, 1))
            .addRawInputContents(ByteString.copyFrom(c))
            .build();
    assertInvalid(
        partialPrefix,
        "input 's': BYTES element 1 is truncated: its 4-byte length prefix has only 2 bytes");

    ModelInferRequest tooMany =
        ModelInferRequest.newBuilder()
            .addInputs(input("s", Datatype.BYTES, 2))
            .addRawInputContents(ByteString.copyFrom(Samples.bytes(Datatype.BYTES)))
            .build();
    assertInvalid(tooMany, "input 's': shape [2] needs 2 BYTES elements but 6 were given");
  }

  @Test
  void namesDatatypesAndShapesAreChecked() {
    assertInvalid(
        ModelInferRequest.newBuilder()
            .addInputs(input("a", Datatype.FP32, 1))
            .addInputs(input("a", Datatype.FP32, 1))
            .addRawInputContents(ByteString.copyFrom(new byte[4]))
            .addRawInputContents(ByteString.copyFrom(new byte[4]))
            .build(),
        "input 'a' appears more than once");
    assertInvalid(
        ModelInferRequest.newBuilder()
            .addInputs(InferInputTensor.newBuilder().setName("a").setDatatype("FLOAT").addShape(1))
            .build(),
        "input 'a': unknown datatype 'FLOAT'; expected one of BOOL, UINT8, UINT16, UINT32, UINT64,"
            + " INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64, BYTES");
    assertInvalid(
        rawFp32(new long[] {-1, 4}, 16),
        "input 'a': shape [-1, 4] has a negative dimension; every dimension must be >= 0");
    assertInvalid(
        ModelInferRequest.newBuilder()
            .addInputs(InferInputTensor.newBuilder().setDatatype("FP32").addShape(1))
            .build(),
        "inputs[0].name is missing");
    assertInvalid(ModelInferRequest.getDefaultInstance(), "the request has no inputs");
  }
}
