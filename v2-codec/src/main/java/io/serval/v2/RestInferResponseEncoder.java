package io.serval.v2;

import com.fasterxml.jackson.core.JsonGenerator;
import io.serval.proto.inference.InferParameter;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import io.serval.proto.inference.ModelInferResponse.InferOutputTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Encodes a {@link ModelInferResponse} as a V2 REST body: JSON, or a JSON header followed by binary
 * tensor data for the outputs the request asked to get in binary.
 */
public final class RestInferResponseEncoder {
  private RestInferResponseEncoder() {}

  static final String BINARY_DATA = "binary_data";
  static final String BINARY_DATA_OUTPUT = "binary_data_output";

  /**
   * An output goes binary when the request's outputs[].parameters.binary_data says so, else when
   * the request-level binary_data_output does; FP16 and BF16 outputs always go binary (they have no
   * JSON form).
   *
   * @param req the request that produced {@code resp} (as decoded by {@link
   *     RestInferRequestDecoder}); null means no binary output was asked for
   * @throws V2Exception INTERNAL when the response is inconsistent (its data does not match its
   *     shapes); that is a server fault, not the client's
   */
  public static EncodedBody encode(ModelInferResponse resp, ModelInferRequest req) {
    int n = resp.getOutputsCount();
    int rawCount = resp.getRawOutputContentsCount();
    if (rawCount != 0 && rawCount != n) {
      throw V2Exception.internal(
          "inference response has " + rawCount + " raw_output_contents for " + n + " outputs");
    }
    Boolean allBinary =
        req == null ? null : JsonParameters.flag(req.getParametersMap(), BINARY_DATA_OUTPUT);
    Map<String, Boolean> perOutput = perOutputFlags(req);
    Datatype[] types = new Datatype[n];
    ByteBuffer[] data = new ByteBuffer[n];
    boolean[] binary = new boolean[n];
    long binaryBytes = 0;
    long jsonEstimate = 256;
    for (int i = 0; i < n; i++) {
      InferOutputTensor o = resp.getOutputs(i);
      String where = "output '" + o.getName() + "'";
      long[] shape = shape(o);
      try {
        types[i] = Datatype.parse(o.getDatatype(), where);
        if (rawCount > 0) {
          data[i] = InferRequestReader.wrap(resp.getRawOutputContents(i));
          TensorLayout.check(where, types[i], shape, data[i]);
        } else {
          data[i] = TypedContents.toRaw(where, types[i], shape, o.getContents());
        }
      } catch (V2Exception e) {
        throw V2Exception.internal("inconsistent inference response: " + e.getMessage(), e);
      }
      Boolean flag = perOutput.get(o.getName());
      binary[i] =
          types[i] == Datatype.FP16
              || types[i] == Datatype.BF16
              || (flag != null ? flag : Boolean.TRUE.equals(allBinary));
      if (binary[i]) {
        binaryBytes += data[i].remaining();
      } else {
        // FP32 reserves its worst case (16 bytes a float) up front; ~3 bytes a byte otherwise.
        jsonEstimate += (long) data[i].remaining() * (types[i] == Datatype.FP32 ? 4 : 3);
      }
    }
    if (binaryBytes > Integer.MAX_VALUE - 1024) {
      throw V2Exception.payloadTooLarge("inference response exceeds 2 GiB");
    }
    JsonBodySink json = new JsonBodySink((int) Math.min(jsonEstimate, 1 << 26));
    try (JsonGenerator g = Json.FACTORY.createGenerator(json)) {
      g.writeStartObject();
      g.writeStringField("model_name", resp.getModelName());
      if (!resp.getModelVersion().isEmpty()) {
        g.writeStringField("model_version", resp.getModelVersion());
      }
      if (!resp.getId().isEmpty()) {
        g.writeStringField("id", resp.getId());
      }
      if (resp.getParametersCount() > 0) {
        g.writeObjectFieldStart("parameters");
        JsonParameters.write(g, resp.getParametersMap());
        g.writeEndObject();
      }
      g.writeArrayFieldStart("outputs");
      for (int i = 0; i < n; i++) {
        writeOutput(g, json, resp.getOutputs(i), types[i], data[i], binary[i]);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw V2Exception.internal("writing the response JSON failed: " + e.getMessage(), e);
    }
    if (binaryBytes == 0) {
      return new EncodedBody(json.toByteArray(), OptionalInt.empty(), EncodedBody.JSON);
    }
    int headerLength = json.size();
    byte[] body = new byte[headerLength + (int) binaryBytes];
    System.arraycopy(json.array(), 0, body, 0, headerLength);
    int offset = headerLength;
    for (int i = 0; i < n; i++) {
      if (binary[i]) {
        int len = data[i].remaining();
        data[i].duplicate().get(body, offset, len);
        offset += len;
      }
    }
    return new EncodedBody(body, OptionalInt.of(headerLength), EncodedBody.OCTET_STREAM);
  }

  private static void writeOutput(
      JsonGenerator g,
      JsonBodySink sink,
      InferOutputTensor o,
      Datatype type,
      ByteBuffer data,
      boolean binary)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", o.getName());
    g.writeStringField("datatype", type.name());
    g.writeArrayFieldStart("shape");
    for (int d = 0; d < o.getShapeCount(); d++) {
      g.writeNumber(o.getShape(d));
    }
    g.writeEndArray();
    Map<String, InferParameter> params = o.getParametersMap();
    if (binary || !params.isEmpty()) {
      g.writeObjectFieldStart("parameters");
      Map<String, InferParameter> rest = params;
      if (binary && params.containsKey(RestInferRequestDecoder.BINARY_DATA_SIZE)) {
        rest = new HashMap<>(params);
        rest.remove(RestInferRequestDecoder.BINARY_DATA_SIZE);
      }
      JsonParameters.write(g, rest);
      if (binary) {
        g.writeNumberField(RestInferRequestDecoder.BINARY_DATA_SIZE, data.remaining());
      }
      g.writeEndObject();
    }
    if (!binary) {
      g.writeFieldName("data");
      JsonTensorDataWriter.write(g, sink, type, data);
    }
    g.writeEndObject();
  }

  private static long[] shape(InferOutputTensor o) {
    long[] shape = new long[o.getShapeCount()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = o.getShape(d);
      if (shape[d] < 0) {
        throw V2Exception.internal(
            "inconsistent inference response: output '"
                + o.getName()
                + "' has a negative dimension "
                + o.getShapeList());
      }
    }
    return shape;
  }

  private static Map<String, Boolean> perOutputFlags(ModelInferRequest req) {
    if (req == null || req.getOutputsCount() == 0) {
      return Map.of();
    }
    Map<String, Boolean> flags = new HashMap<>();
    for (ModelInferRequest.InferRequestedOutputTensor o : req.getOutputsList()) {
      Boolean flag = JsonParameters.flag(o.getParametersMap(), BINARY_DATA);
      if (flag != null) {
        flags.put(o.getName(), flag);
      }
    }
    return flags;
  }
}
