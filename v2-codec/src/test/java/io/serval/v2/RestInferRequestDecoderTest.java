package io.serval.v2;

import static io.serval.v2.Samples.concat;
import static io.serval.v2.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.proto.inference.InferParameter;
import io.serval.proto.inference.ModelInferRequest;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RestInferRequestDecoderTest {

  static ModelInferRequest decodeJson(String json) {
    return RestInferRequestDecoder.decode("m", "1", utf8(json), OptionalInt.empty());
  }

  static ModelInferRequest decodeBinary(String header, byte[]... binary) {
    byte[] h = utf8(header);
    return RestInferRequestDecoder.decode(
        "m", null, concat(h, concat(binary)), OptionalInt.of(h.length));
  }

  static void assertInvalid(String json, String message) {
    assertThatThrownBy(() -> decodeJson(json))
        .isInstanceOfSatisfying(V2Exception.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
        .hasMessage(message);
  }

  static String inputJson(String name, Datatype type, String data) {
    return "{\"name\":\""
        + name
        + "\",\"shape\":[2,3],\"datatype\":\""
        + type
        + "\",\"data\":"
        + data
        + "}";
  }

  @ParameterizedTest
  @EnumSource(
      value = Datatype.class,
      names = {"FP16", "BF16"},
      mode = EnumSource.Mode.EXCLUDE)
  void flatAndNestedJsonDecodeToTheBinaryLayout(Datatype type) {
    for (String data : List.of(Samples.flatJson(type), Samples.nestedJson(type))) {
      ModelInferRequest req = decodeJson("{\"inputs\":[" + inputJson("x", type, data) + "]}");

      assertThat(req.getModelName()).isEqualTo("m");
      assertThat(req.getModelVersion()).isEqualTo("1");
      assertThat(req.getRawInputContentsCount()).isEqualTo(1);
      assertThat(req.getInputs(0).hasContents()).isFalse();
      RawTensor t = InferRequestReader.inputs(req).get(0);
      assertThat(t.datatype()).isEqualTo(type);
      assertThat(t.shape()).containsExactly(2, 3);
      assertThat(Samples.toArray(t.data())).isEqualTo(Samples.toArray(Samples.bytes(type)));
    }
  }

  @ParameterizedTest
  @EnumSource(Datatype.class)
  void binaryDataIsTakenFromAfterTheHeader(Datatype type) {
    byte[] bytes = Samples.toArray(Samples.bytesFor(type));
    ModelInferRequest req =
        decodeBinary(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\""
                + type
                + "\",\"parameters\":{\"binary_data_size\":"
                + bytes.length
                + "}}]}",
            bytes);

    assertThat(req.getInputs(0).getParametersMap()).doesNotContainKey("binary_data_size");
    RawTensor t = InferRequestReader.inputs(req).get(0);
    assertThat(Samples.toArray(t.data())).isEqualTo(bytes);
  }

  @Test
  void binaryAndJsonInputsMixInInputOrder() {
    byte[] a = Samples.toArray(Samples.bytes(Datatype.INT64));
    byte[] c = Samples.toArray(Samples.halfBytes());
    String header =
        "{\"id\":\"r1\",\"inputs\":["
            + "{\"name\":\"a\",\"shape\":[2,3],\"datatype\":\"INT64\",\"parameters\":{\"binary_data_size\":"
            + a.length
            + "}},"
            + inputJson("b", Datatype.FP32, Samples.flatJson(Datatype.FP32))
            + ",{\"name\":\"c\",\"shape\":[2,3],\"datatype\":\"FP16\",\"parameters\":{\"binary_data_size\":"
            + c.length
            + "}}]}";
    List<RawTensor> in = InferRequestReader.inputs(decodeBinary(header, a, c));
    assertThat(in).extracting(RawTensor::name).containsExactly("a", "b", "c");
    assertThat(Samples.toArray(in.get(0).data())).isEqualTo(a);
    assertThat(Samples.toArray(in.get(1).data()))
        .isEqualTo(Samples.toArray(Samples.bytes(Datatype.FP32)));
    assertThat(Samples.toArray(in.get(2).data())).isEqualTo(c);
  }

  @Test
  void keepsIdParametersAndRequestedOutputs() {
    ModelInferRequest req =
        decodeJson(
            "{\"id\":\"abc\",\"parameters\":{\"binary_data_output\":true,\"priority\":2,"
                + "\"note\":\"hi\",\"temp\":0.5,\"big\":18446744073709551615},"
                + "\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\","
                + "\"parameters\":{\"tag\":\"t\"},\"data\":[1]}],"
                + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":false}},"
                + "{\"name\":\"z\"}]}");
    assertThat(req.getId()).isEqualTo("abc");
    assertThat(req.getParametersMap())
        .containsEntry("binary_data_output", InferParameter.newBuilder().setBoolParam(true).build())
        .containsEntry("priority", InferParameter.newBuilder().setInt64Param(2).build())
        .containsEntry("note", InferParameter.newBuilder().setStringParam("hi").build())
        .containsEntry("temp", InferParameter.newBuilder().setDoubleParam(0.5).build())
        .containsEntry("big", InferParameter.newBuilder().setUint64Param(-1L).build());
    assertThat(req.getInputs(0).getParametersMap())
        .containsEntry("tag", InferParameter.newBuilder().setStringParam("t").build());
    assertThat(req.getOutputsList()).extracting(o -> o.getName()).containsExactly("y", "z");
    assertThat(req.getOutputs(0).getParametersMap())
        .containsEntry("binary_data", InferParameter.newBuilder().setBoolParam(false).build());
  }

  @Test
  void dataMayComeBeforeDatatypeAndShape() {
    ModelInferRequest req =
        decodeJson(
            "{\"inputs\":[{\"data\":[[1,2,3],[4,5,6]],\"name\":\"x\",\"datatype\":\"UINT8\","
                + "\"shape\":[2,3]}],\"unknown\":{\"nested\":[1,2]}}");
    assertThat(Samples.toArray(InferRequestReader.inputs(req).get(0).data()))
        .containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void scalarsAndEmptyTensors() {
    ModelInferRequest req =
        decodeJson(
            "{\"inputs\":[{\"name\":\"s\",\"shape\":[],\"datatype\":\"INT16\",\"data\":7},"
                + "{\"name\":\"e\",\"shape\":[0,3],\"datatype\":\"FP32\",\"data\":[]}]}");
    List<RawTensor> in = InferRequestReader.inputs(req);
    assertThat(Samples.toArray(in.get(0).data())).containsExactly(7, 0);
    assertThat(in.get(1).byteLength()).isZero();
  }

  @Test
  void malformedJsonGivesLineAndColumn() {
    assertThatThrownBy(() -> decodeJson("{\"id\":\"a\",\n  \"inputs\":[{\"name\" \"x\"}]}"))
        .isInstanceOf(V2Exception.class)
        .hasMessageStartingWith("malformed JSON at line 2, column ");
    assertInvalid(
        "{\"inputs\":[]} {}",
        "malformed JSON at line 1, column 15: unexpected content after the request object");
    assertThatThrownBy(() -> decodeJson("{\"id\":\"a\",\"id\":\"b\",\"inputs\":[]}"))
        .hasMessageContaining("Duplicate field 'id'");
    assertInvalid("[1]", "the request body must be a JSON object");
    assertThatThrownBy(
            () -> RestInferRequestDecoder.decode("m", null, new byte[0], OptionalInt.empty()))
        .hasMessage("the request body is empty; expected a V2 inference request JSON object");
  }

  @Test
  void missingFieldsAreNamedByPath() {
    assertInvalid("{}", "inputs is missing");
    assertInvalid("{\"inputs\":[]}", "inputs is empty; the request needs at least one input");
    String ok = inputJson("a", Datatype.INT32, "[1,2,3,4,5,6]");
    assertInvalid(
        "{\"inputs\":[" + ok + ",{\"name\":\"b\",\"shape\":[1],\"data\":[1]}]}",
        "inputs[1].datatype is missing");
    assertInvalid(
        "{\"inputs\":[{\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]}]}",
        "inputs[0].name is missing");
    assertInvalid(
        "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"INT32\",\"data\":[1]}]}",
        "inputs[0].shape is missing");
    assertInvalid(
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"INT32\"}]}",
        "inputs[0].data is missing (or set parameters.binary_data_size to send it as binary)");
    assertInvalid(
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]}],"
            + "\"outputs\":[{\"parameters\":{}}]}",
        "outputs[0].name is missing");
  }

  @Test
  void shapesAndTypesAreChecked() {
    assertInvalid(
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2,-1],\"datatype\":\"INT32\",\"data\":[1]}]}",
        "inputs[0].shape[1] is -1; dimensions must be >= 0");
    assertInvalid(
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2,\"x\"],\"datatype\":\"INT32\",\"data\":[1]}]}",
        "inputs[0].shape[1] is the string \"x\"; dimensions must be non-negative integers");
    assertInvalid(
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FLOAT\",\"data\":[1]}]}",
        "input 'a': unknown datatype 'FLOAT'; expected one of BOOL, UINT8, UINT16, UINT32, UINT64,"
            + " INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64, BYTES");
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.FP32, "[1,2,3,4,5]") + "]}",
        "input 'a': shape [2,3] needs 6 elements but data has 5");
    assertInvalid(
        "{\"inputs\":["
            + inputJson("a", Datatype.FP32, "[1,2,3,4,5,6]")
            + ","
            + inputJson("a", Datatype.FP32, "[1,2,3,4,5,6]")
            + "]}",
        "input 'a' appears more than once in inputs");
    assertInvalid(
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]}],"
            + "\"outputs\":[{\"name\":\"y\"},{\"name\":\"y\"}]}",
        "output 'y' is requested more than once in outputs");
    assertInvalid(
        "{\"parameters\":{\"p\":[1]},\"inputs\":[]}",
        "parameters.p is an array; parameters must be strings, numbers or booleans");
  }

  @Test
  void elementValuesAreCheckedPerDatatype() {
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.INT8, "[1,2,128,4,5,6]") + "]}",
        "input 'a': data[2] = 128 is out of range for INT8 [-128, 127]");
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.UINT32, "[1,2,3,-4,5,6]") + "]}",
        "input 'a': data[3] = -4 is out of range for UINT32 [0, 4294967295]");
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.INT64, "[1,2,3,4,5,9223372036854775808]") + "]}",
        "input 'a': data[5] = 9223372036854775808 is out of range for INT64"
            + " [-9223372036854775808, 9223372036854775807]");
    assertInvalid(
        "{\"inputs\":["
            + inputJson("a", Datatype.UINT64, "[18446744073709551616,2,3,4,5,6]")
            + "]}",
        "input 'a': data[0] = 18446744073709551616 is out of range for UINT64"
            + " [0, 18446744073709551615]");
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.INT32, "[1,2.5,3,4,5,6]") + "]}",
        "input 'a': data[1] is the number 2.5; expected an integer for INT32");
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.BOOL, "[true,1,true,true,true,true]") + "]}",
        "input 'a': data[1] is the number 1; expected true or false for BOOL");
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.FP32, "[1,2,3,\"4\",5,6]") + "]}",
        "input 'a': data[3] is the string \"4\"; expected a number for FP32");
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.FP32, "[1,2,3,1e39,5,6]") + "]}",
        "input 'a': data[3] = 1e39 is out of range for FP32");
    assertInvalid(
        "{\"inputs\":["
            + inputJson("a", Datatype.BYTES, "[\"a\",2,\"c\",\"d\",\"e\",\"f\"]")
            + "]}",
        "input 'a': data[1] is the number 2; expected a string for BYTES");
    assertInvalid(
        "{\"inputs\":[" + inputJson("a", Datatype.FP64, "[1,2,3,null,5,6]") + "]}",
        "input 'a': data[3] is null; expected a number for FP64");
  }

  @Test
  void halfPrecisionInJsonIsRefused() {
    assertInvalid(
        "{\"inputs\":[" + inputJson("h", Datatype.FP16, "[1,2,3,4,5,6]") + "]}",
        "input 'h': FP16 data cannot be sent as JSON numbers; send FP16 as binary"
            + " (parameters.binary_data_size with the Inference-Header-Content-Length header)");
  }

  @Test
  void binaryExtensionSizesAndHeadersAreChecked() {
    String header =
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"INT32\","
            + "\"parameters\":{\"binary_data_size\":8}}]}";
    int h = utf8(header).length;
    assertThatThrownBy(() -> decodeBinary(header, new byte[6]))
        .hasMessage(
            "binary tensor data: the inputs declare 8 bytes (parameters.binary_data_size) but the"
                + " body has 6 bytes after the "
                + h
                + "-byte JSON header");
    assertThatThrownBy(() -> decodeBinary(header, new byte[10]))
        .hasMessageContaining("declare 8 bytes (parameters.binary_data_size) but the body has 10");
    assertThatThrownBy(
            () ->
                RestInferRequestDecoder.decode(
                    "m", null, concat(utf8(header), new byte[8]), OptionalInt.empty()))
        .hasMessageStartingWith("malformed JSON");
    String noBinary = "{\"inputs\":[" + inputJson("a", Datatype.INT8, "[1,2,3,4,5,6]") + "]}";
    assertThatThrownBy(
            () ->
                RestInferRequestDecoder.decode(
                    "m", null, concat(utf8(header), new byte[8]), OptionalInt.of(h + 9)))
        .hasMessage(
            "Inference-Header-Content-Length is "
                + (h + 9)
                + " but the body has "
                + (h + 8)
                + " bytes");
    assertThatThrownBy(
            () -> RestInferRequestDecoder.decode("m", null, utf8(noBinary), OptionalInt.of(0)))
        .hasMessageStartingWith(
            "Inference-Header-Content-Length: 0 (a raw binary body without a JSON header) is not supported");
    assertThatThrownBy(() -> decodeBinary(noBinary, new byte[3]))
        .hasMessageContaining(
            "the inputs declare 0 bytes (parameters.binary_data_size) but the body has 3 bytes");
    String wrongSize =
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[3],\"datatype\":\"INT32\","
            + "\"parameters\":{\"binary_data_size\":8}}]}";
    assertThatThrownBy(() -> decodeBinary(wrongSize, new byte[8]))
        .hasMessage(
            "input 'a': shape [3] needs 3 INT32 elements (12 bytes) but 8 bytes were given");
    String both =
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"INT32\",\"data\":[1,2],"
            + "\"parameters\":{\"binary_data_size\":8}}]}";
    assertThatThrownBy(() -> decodeBinary(both, new byte[8]))
        .hasMessage(
            "input 'a' has both data and parameters.binary_data_size; send one or the other");
    String negative =
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"INT32\","
            + "\"parameters\":{\"binary_data_size\":\"8\"}}]}";
    assertThatThrownBy(() -> decodeBinary(negative, new byte[8]))
        .hasMessage("input 'a': parameters.binary_data_size must be a non-negative integer");
    String noHeaderLength =
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[0],\"datatype\":\"INT32\","
            + "\"parameters\":{\"binary_data_size\":0}}]}";
    assertThatThrownBy(() -> decodeJson(noHeaderLength))
        .hasMessage(
            "input 'a' has parameters.binary_data_size but the Inference-Header-Content-Length"
                + " header is missing; it must give the length of the JSON header");
  }

  @Test
  void headerlessBodiesFillTheSingleInputAsBatchOne() {
    byte[] fp32 = new byte[16];
    ModelInferRequest req =
        RestInferRequestDecoder.decodeHeaderless(
            "m", null, fp32, "x", Datatype.FP32, new long[] {-1, 4});
    assertThat(req.getInputs(0).getShapeList()).containsExactly(1L, 4L);
    assertThat(req.getParametersMap())
        .containsEntry(
            "binary_data_output", InferParameter.newBuilder().setBoolParam(true).build());
    assertThat(InferRequestReader.inputs(req).get(0).byteLength()).isEqualTo(16);

    ModelInferRequest tokens =
        RestInferRequestDecoder.decodeHeaderless(
            "m", null, new byte[24], "ids", Datatype.INT64, new long[] {-1, -1});
    assertThat(tokens.getInputs(0).getShapeList()).containsExactly(1L, 3L);

    byte[] strings = Samples.toArray(Samples.bytes(Datatype.BYTES));
    ModelInferRequest text =
        RestInferRequestDecoder.decodeHeaderless(
            "m", null, strings, "s", Datatype.BYTES, new long[] {-1, -1});
    assertThat(text.getInputs(0).getShapeList()).containsExactly(1L, 6L);

    assertThatThrownBy(
            () ->
                RestInferRequestDecoder.decodeHeaderless(
                    "m", null, new byte[15], "x", Datatype.FP32, new long[] {-1, 4}))
        .hasMessage(
            "input 'x': shape [1,4] needs 4 FP32 elements (16 bytes) but 15 bytes were given");
    assertThatThrownBy(
            () ->
                RestInferRequestDecoder.decodeHeaderless(
                    "m", null, new byte[12], "x", Datatype.INT64, new long[] {-1, -1, 2}))
        .hasMessage(
            "input 'x': a body of 12 bytes is not a whole number of INT64 rows of shape [-1,-1,2]");
    assertThatThrownBy(
            () ->
                RestInferRequestDecoder.decodeHeaderless(
                    "m", null, new byte[16], "x", Datatype.FP32, new long[] {-1, -1, -1}))
        .hasMessage(
            "input 'x' has several variable dimensions [-1,-1,-1], so a body without a JSON header"
                + " cannot give its shape; send a JSON header");
    assertThatThrownBy(
            () ->
                RestInferRequestDecoder.decodeHeaderless(
                    "m", null, new byte[12], "x", Datatype.FP32, new long[] {4}))
        .hasMessage(
            "input 'x': shape [4] needs 4 FP32 elements (16 bytes) but 12 bytes were given");
  }
}
