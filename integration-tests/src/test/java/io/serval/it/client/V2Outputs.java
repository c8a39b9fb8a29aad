package io.serval.it.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.proto.inference.ModelInferResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FP32 outputs of a V2 answer, decoded exactly: JSON numbers are parsed from their text as floats
 * (never through a double), binary and gRPC raw contents as little-endian floats.
 */
public final class V2Outputs {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private V2Outputs() {}

  /** An output: its shape and values. */
  public record Output(long[] shape, float[] values) {
    @Override
    public String toString() {
      return "shape " + Arrays.toString(shape) + ", " + values.length + " values";
    }
  }

  public static Map<String, Output> fromJson(byte[] body) {
    JsonNode root = read(body);
    Map<String, Output> out = new LinkedHashMap<>();
    for (JsonNode o : root.path("outputs")) {
      requireFp32(o);
      JsonNode data = o.path("data");
      float[] values = new float[data.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Float.parseFloat(data.get(i).asText());
      }
      out.put(o.path("name").asText(), new Output(shape(o), values));
    }
    return out;
  }

  /** The binary extension: JSON header of {@code headerLength} bytes, then the raw outputs. */
  public static Map<String, Output> fromBinary(byte[] body, int headerLength) {
    JsonNode root = read(Arrays.copyOf(body, headerLength));
    Map<String, Output> out = new LinkedHashMap<>();
    int offset = headerLength;
    for (JsonNode o : root.path("outputs")) {
      requireFp32(o);
      int size = o.path("parameters").path("binary_data_size").asInt(-1);
      if (size < 0) {
        throw new AssertionError("output " + o.path("name") + " is not binary: " + o);
      }
      out.put(
          o.path("name").asText(),
          new Output(shape(o), floats(ByteBuffer.wrap(body, offset, size), size / 4)));
      offset += size;
    }
    if (offset != body.length) {
      throw new AssertionError(
          "binary answer: " + (body.length - offset) + " bytes after the last output");
    }
    return out;
  }

  public static Map<String, Output> fromGrpc(ModelInferResponse r) {
    Map<String, Output> out = new LinkedHashMap<>();
    for (int i = 0; i < r.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor t = r.getOutputs(i);
      if (!"FP32".equals(t.getDatatype())) {
        throw new AssertionError("output " + t.getName() + " is " + t.getDatatype());
      }
      long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
      float[] values;
      if (r.getRawOutputContentsCount() > 0) {
        ByteBuffer b = r.getRawOutputContents(i).asReadOnlyByteBuffer();
        values = floats(b, b.remaining() / 4);
      } else {
        values = new float[t.getContents().getFp32ContentsCount()];
        for (int k = 0; k < values.length; k++) {
          values[k] = t.getContents().getFp32Contents(k);
        }
      }
      out.put(t.getName(), new Output(shape, values));
    }
    return out;
  }

  private static float[] floats(ByteBuffer b, int n) {
    ByteBuffer le = b.slice().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = le.getFloat(i * 4);
    }
    return out;
  }

  private static void requireFp32(JsonNode o) {
    if (!"FP32".equals(o.path("datatype").asText())) {
      throw new AssertionError("output " + o.path("name") + " is not FP32: " + o.path("datatype"));
    }
  }

  private static long[] shape(JsonNode o) {
    long[] s = new long[o.path("shape").size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = o.path("shape").get(i).asLong();
    }
    return s;
  }

  private static JsonNode read(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("answer is not JSON: " + new String(body), e);
    }
  }
}
