package io.serval.it.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.serval.proto.inference.ModelInferRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** V2 inference requests in the three forms the router takes: JSON, binary extension, gRPC. */
public final class V2Requests {

  private static final ObjectMapper JSON = new ObjectMapper();

  private V2Requests() {}

  /** A JSON body with the data inline. */
  public static String json(List<Tensor> inputs) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode in = root.putArray("inputs");
    for (Tensor t : inputs) {
      ObjectNode o = header(in, t);
      ArrayNode data = o.putArray("data");
      if (t.fp32() != null) {
        for (float f : t.fp32()) {
          data.add(f);
        }
      } else {
        for (long v : t.int64()) {
          data.add(v);
        }
      }
    }
    return root.toString();
  }

  /** The binary tensor extension: JSON header, then each input's raw bytes; outputs binary too. */
  public static BinaryBody binary(List<Tensor> inputs) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode in = root.putArray("inputs");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (Tensor t : inputs) {
      byte[] bytes = t.rawBytes();
      header(in, t).putObject("parameters").put("binary_data_size", bytes.length);
      raw.writeBytes(bytes);
    }
    root.putObject("parameters").put("binary_data_output", true);
    byte[] head = root.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(head);
    body.writeBytes(raw.toByteArray());
    return new BinaryBody(body.toByteArray(), head.length);
  }

  /** gRPC ModelInferRequest with raw_input_contents. */
  public static ModelInferRequest grpc(String model, List<Tensor> inputs) {
    ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model);
    for (Tensor t : inputs) {
      ModelInferRequest.InferInputTensor.Builder in =
          b.addInputsBuilder().setName(t.name()).setDatatype(t.datatype());
      for (long d : t.shape()) {
        in.addShape(d);
      }
      b.addRawInputContents(ByteString.copyFrom(t.rawBytes()));
    }
    return b.build();
  }

  private static ObjectNode header(ArrayNode in, Tensor t) {
    ObjectNode o = in.addObject();
    o.put("name", t.name());
    ArrayNode shape = o.putArray("shape");
    for (long d : t.shape()) {
      shape.add(d);
    }
    o.put("datatype", t.datatype());
    return o;
  }

  /** A binary-extension body and the length of its JSON header. */
  public record BinaryBody(byte[] body, int headerLength) {}
}
