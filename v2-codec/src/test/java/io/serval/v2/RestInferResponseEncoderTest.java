package io.serval.v2;

import static io.serval.v2.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.serval.proto.inference.InferParameter;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RestInferResponseEncoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static RawTensor sample(String name, Datatype type) {
    return InferResponseWriterTest.sample(name, type);
  }

  /** Reads the JSON outputs back through the request decoder: an independent round trip. */
  static RawTensor decodeJsonOutput(byte[] body) throws Exception {
    JsonNode root = MAPPER.readTree(body);
    String asRequest = "{\"inputs\":" + MAPPER.writeValueAsString(root.get("outputs")) + "}";
    return InferRequestReader.inputs(RestInferRequestDecoderTest.decodeJson(asRequest)).get(0);
  }

  @ParameterizedTest
  @EnumSource(
      value = Datatype.class,
      names = {"FP16", "BF16"},
      mode = EnumSource.Mode.EXCLUDE)
  void jsonOutputsRoundTripForRawAndTypedResponses(Datatype type) throws Exception {
    for (boolean raw : new boolean[] {true, false}) {
      ModelInferResponse resp =
          InferResponseWriter.build("m", "2", "req-7", List.of(sample("y", type)), raw);
      EncodedBody body =
          RestInferResponseEncoder.encode(resp, ModelInferRequest.getDefaultInstance());

      assertThat(body.contentType()).isEqualTo("application/json");
      assertThat(body.inferenceHeaderContentLength()).isEmpty();
      JsonNode root = MAPPER.readTree(body.body());
      assertThat(root.get("model_name").asText()).isEqualTo("m");
      assertThat(root.get("model_version").asText()).isEqualTo("2");
      assertThat(root.get("id").asText()).isEqualTo("req-7");
      assertThat(root.get("outputs").get(0).get("datatype").asText()).isEqualTo(type.name());
      assertThat(root.get("outputs").get(0).get("data").isArray()).isTrue();
      assertThat(root.get("outputs").get(0).get("data").size()).isEqualTo(6);
      assertThat(decodeJsonOutput(body.body())).isEqualTo(sample("y", type));
    }
  }

  /**
   * FP32 data is written without Jackson's generator: the body must be the bytes the generator
   * wrote before (Float.toString's digits; NaN and the infinities as quoted strings), and every
   * value must read back as the same float, -0.0 and subnormals included.
   */
  @Test
  void fp32JsonIsTheBytesJacksonWroteAndReadsBackExactly() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    float[] values = new float[4096];
    float[] edges = {
      0.0f,
      -0.0f,
      Float.NaN,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MIN_NORMAL,
      Math.nextDown(Float.MIN_NORMAL),
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      1e7f,
      1e-3f,
      Math.nextDown(1e-3f),
      1.0f,
      0.1f
    };
    System.arraycopy(edges, 0, values, 0, edges.length);
    for (int i = edges.length; i < values.length; i++) {
      values[i] =
          i % 2 == 0
              ? (float) (random.nextGaussian() * 0.5)
              : Float.intBitsToFloat(random.nextInt() & 0x7f7f_ffff | (i % 4 == 1 ? 0 : 1 << 31));
    }
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      data.putFloat(i * 4, values[i]);
    }
    RawTensor tensor = new RawTensor("y", Datatype.FP32, new long[] {2, 2048}, data);
    ModelInferResponse resp = InferResponseWriter.build("m", "1", "id", List.of(tensor), true);

    byte[] body = RestInferResponseEncoder.encode(resp, null).body();

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.FACTORY.createGenerator(expected)) {
      g.writeStartObject();
      g.writeStringField("model_name", "m");
      g.writeStringField("model_version", "1");
      g.writeStringField("id", "id");
      g.writeArrayFieldStart("outputs");
      g.writeStartObject();
      g.writeStringField("name", "y");
      g.writeStringField("datatype", "FP32");
      g.writeArrayFieldStart("shape");
      g.writeNumber(2);
      g.writeNumber(2048);
      g.writeEndArray();
      g.writeArrayFieldStart("data");
      for (float v : values) {
        g.writeNumber(v);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }
    assertThat(new String(body, StandardCharsets.UTF_8))
        .isEqualTo(expected.toString(StandardCharsets.UTF_8));
    // Each literal as text, parsed as a float (not through a double, which could round twice).
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      while (!"data".equals(p.currentName()) || p.currentToken() != JsonToken.START_ARRAY) {
        p.nextToken();
      }
      for (int i = 0; i < values.length; i++) {
        p.nextToken();
        float back = Float.parseFloat(p.getText());
        assertThat(Float.floatToRawIntBits(back))
            .as("element %d (%s)", i, p.getText())
            .isEqualTo(Float.floatToRawIntBits(values[i]));
      }
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_ARRAY);
    }
  }

  /** FP32 data written beside the generator keeps the JSON well formed around it. */
  @Test
  void fp32OutputsInterleaveWithOtherOutputs() throws Exception {
    RawTensor empty = new RawTensor("e", Datatype.FP32, new long[] {0, 3}, ByteBuffer.allocate(0));
    ModelInferResponse resp =
        InferResponseWriter.build(
            "m",
            null,
            null,
            List.of(empty, sample("i", Datatype.INT32), sample("f", Datatype.FP32)),
            true);

    JsonNode outputs =
        MAPPER.readTree(RestInferResponseEncoder.encode(resp, null).body()).get("outputs");

    assertThat(outputs).hasSize(3);
    assertThat(outputs.get(0).get("data").isArray()).isTrue();
    assertThat(outputs.get(0).get("data")).isEmpty();
    assertThat(outputs.get(1).get("data")).hasSize(6);
    assertThat(outputs.get(2).get("shape").toString()).isEqualTo("[2,3]");
    float[] expected = new float[6];
    sample("f", Datatype.FP32)
        .data()
        .duplicate()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(expected);
    for (int k = 0; k < 6; k++) {
      assertThat(Float.parseFloat(outputs.get(2).get("data").get(k).asText()))
          .isEqualTo(expected[k]);
    }
  }

  @Test
  void jsonFieldsAreOmittedWhenEmpty() throws Exception {
    ModelInferResponse resp =
        InferResponseWriter.build("m", null, null, List.of(sample("y", Datatype.INT8)), true);
    JsonNode root = MAPPER.readTree(RestInferResponseEncoder.encode(resp, null).body());
    assertThat(root.has("model_version")).isFalse();
    assertThat(root.has("id")).isFalse();
    assertThat(root.has("parameters")).isFalse();
    assertThat(root.get("outputs").get(0).has("parameters")).isFalse();
  }

  private static ModelInferRequest request(Boolean all, String... perOutput) {
    ModelInferRequest.Builder b = ModelInferRequest.newBuilder();
    if (all != null) {
      b.putParameters("binary_data_output", InferParameter.newBuilder().setBoolParam(all).build());
    }
    for (int i = 0; i < perOutput.length; i += 2) {
      b.addOutputsBuilder()
          .setName(perOutput[i])
          .putParameters(
              "binary_data",
              InferParameter.newBuilder()
                  .setBoolParam(Boolean.parseBoolean(perOutput[i + 1]))
                  .build());
    }
    return b.build();
  }

  private static ModelInferResponse threeOutputs() {
    return InferResponseWriter.build(
        "m",
        null,
        null,
        List.of(
            sample("a", Datatype.FP32), sample("b", Datatype.INT64), sample("c", Datatype.BYTES)),
        true);
  }

  /** Splits a binary body; returns the header and checks the data blocks in order. */
  private static JsonNode header(EncodedBody body) throws Exception {
    assertThat(body.contentType()).isEqualTo("application/octet-stream");
    int h = body.inferenceHeaderContentLength().orElseThrow();
    return MAPPER.readTree(Arrays.copyOf(body.body(), h));
  }

  private static byte[] tail(EncodedBody body, int from, int len) {
    int h = body.inferenceHeaderContentLength().orElseThrow();
    return Arrays.copyOfRange(body.body(), h + from, h + from + len);
  }

  @Test
  void requestLevelFlagSendsEveryOutputBinary() throws Exception {
    EncodedBody body = RestInferResponseEncoder.encode(threeOutputs(), request(true));
    JsonNode outs = header(body).get("outputs");
    int at = 0;
    for (int i = 0; i < 3; i++) {
      JsonNode o = outs.get(i);
      assertThat(o.has("data")).isFalse();
      int size = o.get("parameters").get("binary_data_size").asInt();
      Datatype type = Datatype.parse(o.get("datatype").asText(), "test");
      assertThat(tail(body, at, size)).isEqualTo(Samples.toArray(Samples.bytes(type)));
      at += size;
    }
    assertThat(body.body().length).isEqualTo(body.inferenceHeaderContentLength().getAsInt() + at);
  }

  @Test
  void perOutputFlagOverridesTheRequestLevelOne() throws Exception {
    EncodedBody body = RestInferResponseEncoder.encode(threeOutputs(), request(true, "b", "false"));
    JsonNode outs = header(body).get("outputs");
    assertThat(outs.get(0).has("data")).isFalse();
    assertThat(outs.get(1).get("data").size()).isEqualTo(6);
    assertThat(outs.get(1).has("parameters")).isFalse();
    assertThat(outs.get(2).has("data")).isFalse();
    int a = outs.get(0).get("parameters").get("binary_data_size").asInt();
    int c = outs.get(2).get("parameters").get("binary_data_size").asInt();
    assertThat(tail(body, a, c)).isEqualTo(Samples.toArray(Samples.bytes(Datatype.BYTES)));

    EncodedBody onlyC = RestInferResponseEncoder.encode(threeOutputs(), request(null, "c", "true"));
    JsonNode o2 = header(onlyC).get("outputs");
    assertThat(o2.get(0).has("data")).isTrue();
    assertThat(o2.get(1).has("data")).isTrue();
    assertThat(o2.get(2).get("parameters").get("binary_data_size").asInt())
        .isEqualTo(Samples.bytes(Datatype.BYTES).remaining());
  }

  @Test
  void noFlagsGiveJson() {
    EncodedBody body = RestInferResponseEncoder.encode(threeOutputs(), request(false));
    assertThat(body.contentType()).isEqualTo("application/json");
    assertThat(body.inferenceHeaderContentLength()).isEqualTo(OptionalInt.empty());
  }

  @Test
  void halfPrecisionOutputsAreAlwaysBinary() throws Exception {
    ModelInferResponse resp =
        InferResponseWriter.build(
            "m",
            null,
            null,
            List.of(sample("f", Datatype.FP32), sample("h", Datatype.FP16)),
            false);
    EncodedBody body = RestInferResponseEncoder.encode(resp, request(null));
    JsonNode outs = header(body).get("outputs");
    assertThat(outs.get(0).get("data").size()).isEqualTo(6);
    assertThat(outs.get(1).get("parameters").get("binary_data_size").asInt()).isEqualTo(12);
    assertThat(tail(body, 0, 12)).isEqualTo(Samples.toArray(Samples.halfBytes()));
  }

  @Test
  void parametersAreWritten() throws Exception {
    ModelInferResponse resp =
        threeOutputs().toBuilder()
            .putParameters("s", InferParameter.newBuilder().setStringParam("x").build())
            .putParameters("u", InferParameter.newBuilder().setUint64Param(-1L).build())
            .build();
    JsonNode root = MAPPER.readTree(RestInferResponseEncoder.encode(resp, null).body());
    assertThat(root.get("parameters").get("s").asText()).isEqualTo("x");
    assertThat(root.get("parameters").get("u").bigIntegerValue().toString())
        .isEqualTo("18446744073709551615");
  }

  @Test
  void bytesOutputsAreJsonStrings() throws Exception {
    ModelInferResponse resp =
        InferResponseWriter.build("m", null, null, List.of(sample("s", Datatype.BYTES)), true);
    String json =
        new String(RestInferResponseEncoder.encode(resp, null).body(), StandardCharsets.UTF_8);
    JsonNode data = MAPPER.readTree(json).get("outputs").get(0).get("data");
    assertThat(data.get(2).asText()).isEqualTo("h\u00e9llo \u2603");
    assertThat(data.get(3).asText()).isEqualTo("a\"b");
  }

  @Test
  void inconsistentResponsesAreServerErrors() {
    ModelInferResponse bad =
        ModelInferResponse.newBuilder()
            .setModelName("m")
            .addOutputs(
                ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName("y")
                    .setDatatype("FP32")
                    .addShape(2))
            .addRawOutputContents(ByteString.copyFrom(new byte[4]))
            .build();
    assertThatThrownBy(() -> RestInferResponseEncoder.encode(bad, null))
        .isInstanceOfSatisfying(V2Exception.class, e -> assertThat(e.httpStatus()).isEqualTo(500))
        .hasMessage(
            "inconsistent inference response: output 'y': shape [2] needs 2 FP32 elements (8"
                + " bytes) but 4 bytes were given");
    ModelInferResponse countMismatch =
        bad.toBuilder().addRawOutputContents(ByteString.copyFrom(utf8("x"))).build();
    assertThatThrownBy(() -> RestInferResponseEncoder.encode(countMismatch, null))
        .hasMessage("inference response has 2 raw_output_contents for 1 outputs");
  }
}
