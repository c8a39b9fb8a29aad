package io.serval.client.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.client.v2.Datatype;
import io.serval.client.v2.InferRequest;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.ModelMetadata;
import io.serval.client.v2.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * V2 REST bodies on the client's side: requests out (JSON, or the binary tensor extension: a JSON
 * header followed by the tensors' bytes), answers, metadata and error texts in.
 */
final class V2Json {

  static final String BINARY_DATA_SIZE = "binary_data_size";
  static final String BINARY_DATA_OUTPUT = "binary_data_output";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A request body and, for the binary extension, the JSON header's length. */
  record Body(byte[] bytes, int jsonLength, boolean binary) {}

  private V2Json() {}

  /**
   * @param binary send the inputs' bytes after the JSON header and ask for binary outputs
   * @throws IllegalArgumentException when a tensor has no JSON form (FP16, BF16, BYTES that are not
   *     UTF-8) and binary is off
   */
  static Body request(InferRequest request, boolean binary) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(json)) {
      g.writeStartObject();
      if (!request.id().isEmpty()) {
        g.writeStringField("id", request.id());
      }
      if (binary) {
        g.writeObjectFieldStart("parameters");
        g.writeBooleanField(BINARY_DATA_OUTPUT, true);
        g.writeEndObject();
      }
      g.writeArrayFieldStart("inputs");
      for (Tensor t : request.inputs()) {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("datatype", t.datatype().name());
        g.writeArrayFieldStart("shape");
        for (long d : t.shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        if (binary) {
          g.writeObjectFieldStart("parameters");
          g.writeNumberField(BINARY_DATA_SIZE, t.rawBuffer().remaining());
          g.writeEndObject();
        } else {
          g.writeFieldName("data");
          writeData(g, t);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      if (!request.outputs().isEmpty()) {
        g.writeArrayFieldStart("outputs");
        for (String name : request.outputs()) {
          g.writeStartObject();
          g.writeStringField("name", name);
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int jsonLength = json.size();
    if (binary) {
      for (Tensor t : request.inputs()) {
        ByteBuffer b = t.rawBuffer();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        json.writeBytes(bytes);
      }
    }
    return new Body(json.toByteArray(), jsonLength, binary);
  }

  private static void writeData(JsonGenerator g, Tensor t) throws IOException {
    ByteBuffer b = t.rawBuffer();
    g.writeStartArray();
    switch (t.datatype()) {
      case BOOL -> {
        while (b.hasRemaining()) {
          g.writeBoolean(b.get() != 0);
        }
      }
      case INT8 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.get());
        }
      }
      case UINT8 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.get() & 0xFF);
        }
      }
      case INT16 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getShort());
        }
      }
      case UINT16 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getShort() & 0xFFFF);
        }
      }
      case INT32 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getInt());
        }
      }
      case UINT32 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getInt() & 0xFFFF_FFFFL);
        }
      }
      case INT64 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getLong());
        }
      }
      case UINT64 -> {
        while (b.hasRemaining()) {
          g.writeNumber(new BigInteger(Long.toUnsignedString(b.getLong())));
        }
      }
      case FP32 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getFloat());
        }
      }
      case FP64 -> {
        while (b.hasRemaining()) {
          g.writeNumber(b.getDouble());
        }
      }
      case BYTES -> {
        for (byte[] e : t.bytes()) {
          g.writeString(utf8(t.name(), e));
        }
      }
      case FP16, BF16 ->
          throw new IllegalArgumentException(
              "tensor '"
                  + t.name()
                  + "': "
                  + t.datatype()
                  + " has no V2 JSON form; send it with the binary tensor extension");
    }
    g.writeEndArray();
  }

  private static String utf8(String name, byte[] e) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(e))
          .toString();
    } catch (CharacterCodingException x) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': BYTES elements must be UTF-8 text in V2 JSON requests; send other bytes with"
              + " the binary tensor extension");
    }
  }

  /**
   * An answer: JSON, or a JSON header of {@code jsonLength} bytes followed by binary outputs.
   *
   * @param jsonLength the {@code Inference-Header-Content-Length}, or the body's length
   * @throws IOException when the answer is not a V2 inference answer
   */
  static InferResult result(byte[] body, int jsonLength, Optional<String> revision)
      throws IOException {
    if (jsonLength < 0 || jsonLength > body.length) {
      throw new IOException(
          "Inference-Header-Content-Length " + jsonLength + " but the body has " + body.length);
    }
    JsonNode root = MAPPER.readTree(body, 0, jsonLength);
    int binaryAt = jsonLength;
    List<Tensor> outputs = new ArrayList<>();
    for (JsonNode o : root.path("outputs")) {
      String name = o.path("name").asText();
      Datatype type = Datatype.of(o.path("datatype").asText());
      long[] shape = shape(o.path("shape"));
      JsonNode size = o.path("parameters").path(BINARY_DATA_SIZE);
      byte[] raw;
      if (size.canConvertToLong()) {
        long n = size.asLong();
        if (n < 0 || binaryAt + n > body.length) {
          throw new IOException("output '" + name + "': binary data runs past the answer");
        }
        raw = new byte[(int) n];
        System.arraycopy(body, binaryAt, raw, 0, (int) n);
        binaryAt += (int) n;
      } else {
        raw = readData(name, type, o.path("data"));
      }
      try {
        outputs.add(Tensor.raw(name, type, shape, raw));
      } catch (IllegalArgumentException e) {
        throw new IOException("inconsistent answer: " + e.getMessage(), e);
      }
    }
    return new InferResult(
        root.path("model_name").asText(""),
        root.path("model_version").asText(""),
        root.path("id").asText(""),
        outputs,
        revision,
        1);
  }

  private static byte[] readData(String name, Datatype type, JsonNode data) throws IOException {
    List<JsonNode> flat = new ArrayList<>();
    flatten(data, flat);
    if (type == Datatype.BYTES) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode e : flat) {
        byte[] b = e.asText().getBytes(StandardCharsets.UTF_8);
        out.writeBytes(len.clear().putInt(b.length).array());
        out.writeBytes(b);
      }
      return out.toByteArray();
    }
    if (type.byteSize() < 0 || type == Datatype.FP16 || type == Datatype.BF16) {
      throw new IOException("output '" + name + "': " + type + " cannot come as JSON data");
    }
    ByteBuffer b =
        ByteBuffer.allocate(flat.size() * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode e : flat) {
      switch (type) {
        case BOOL -> b.put((byte) (e.asBoolean() ? 1 : 0));
        case INT8, UINT8 -> b.put((byte) e.asInt());
        case INT16, UINT16 -> b.putShort((short) e.asInt());
        case INT32, UINT32 -> b.putInt((int) e.asLong());
        case INT64 -> b.putLong(e.asLong());
        case UINT64 -> b.putLong(e.bigIntegerValue().longValue());
        case FP32 -> b.putFloat((float) e.asDouble());
        case FP64 -> b.putDouble(e.asDouble());
        default -> throw new IOException("output '" + name + "': unexpected " + type);
      }
    }
    return b.array();
  }

  private static void flatten(JsonNode n, List<JsonNode> out) {
    if (n.isArray()) {
      for (JsonNode e : n) {
        flatten(e, out);
      }
    } else if (!n.isMissingNode() && !n.isNull()) {
      out.add(n);
    }
  }

  private static long[] shape(JsonNode s) {
    long[] out = new long[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.get(i).asLong();
    }
    return out;
  }

  static ModelMetadata metadata(byte[] body) throws IOException {
    JsonNode root = MAPPER.readTree(body);
    List<String> versions = new ArrayList<>();
    root.path("versions").forEach(v -> versions.add(v.asText()));
    return new ModelMetadata(
        root.path("name").asText(""),
        List.copyOf(versions),
        root.path("platform").asText(""),
        tensors(root.path("inputs")),
        tensors(root.path("outputs")));
  }

  private static List<ModelMetadata.TensorMetadata> tensors(JsonNode list) {
    List<ModelMetadata.TensorMetadata> out = new ArrayList<>();
    for (JsonNode t : list) {
      List<Long> shape = new ArrayList<>();
      t.path("shape").forEach(d -> shape.add(d.asLong()));
      out.add(
          new ModelMetadata.TensorMetadata(
              t.path("name").asText(""), t.path("datatype").asText(""), List.copyOf(shape)));
    }
    return List.copyOf(out);
  }

  /** The V2 error text ({@code {"error": "..."}}), else the body as text. */
  static String errorText(byte[] body) {
    try {
      JsonNode error = MAPPER.readTree(body).get("error");
      if (error != null && error.isTextual()) {
        return error.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: the body itself says it
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "(no body)" : text;
  }

  /** Whether a {@code /ready} answer says ready (200 with an empty body, or {"ready": true}). */
  static boolean readyFlag(byte[] body) {
    if (body.length == 0) {
      return true;
    }
    try {
      JsonNode ready = MAPPER.readTree(body).get("ready");
      return ready == null || ready.asBoolean(true);
    } catch (IOException e) {
      return true;
    }
  }
}
