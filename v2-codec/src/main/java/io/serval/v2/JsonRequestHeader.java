package io.serval.v2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.serval.proto.inference.InferParameter;
import io.serval.proto.inference.ModelInferRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One streaming pass over a V2 REST request's JSON header, filling the request builder. */
final class JsonRequestHeader {
  private final JsonParser p;
  private final byte[] body;
  private final int headerLength;
  private final ModelInferRequest.Builder req;

  JsonRequestHeader(JsonParser p, byte[] body, int headerLength, ModelInferRequest.Builder req) {
    this.p = p;
    this.body = body;
    this.headerLength = headerLength;
    this.req = req;
  }

  List<RequestInput> read() throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw V2Exception.invalid("the request body must be a JSON object");
    }
    List<RequestInput> inputs = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "id" -> {
          if (t != JsonToken.VALUE_STRING) {
            throw V2Exception.invalid(
                "id is " + JsonTensorDataReader.describe(p, t) + "; it must be a string");
          }
          req.setId(p.getText());
        }
        case "parameters" -> JsonParameters.read(p, "parameters", req::putParameters);
        case "inputs" -> inputs = inputs(t);
        case "outputs" -> outputs(t);
        default -> p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw V2Exception.invalid(
          "malformed JSON at line "
              + p.currentTokenLocation().getLineNr()
              + ", column "
              + p.currentTokenLocation().getColumnNr()
              + ": unexpected content after the request object");
    }
    if (inputs == null) {
      throw V2Exception.invalid("inputs is missing");
    }
    if (inputs.isEmpty()) {
      throw V2Exception.invalid("inputs is empty; the request needs at least one input");
    }
    return inputs;
  }

  private List<RequestInput> inputs(JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw V2Exception.invalid("inputs must be an array of input objects");
    }
    List<RequestInput> inputs = new ArrayList<>(4);
    Set<String> names = new HashSet<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      RequestInput in = input(t, inputs.size());
      if (!names.add(in.name)) {
        throw V2Exception.invalid(in.where() + " appears more than once in inputs");
      }
      inputs.add(in);
    }
    return inputs;
  }

  private RequestInput input(JsonToken t, int index) throws IOException {
    String path = "inputs[" + index + "]";
    if (t != JsonToken.START_OBJECT) {
      throw V2Exception.invalid(path + " must be an object");
    }
    RequestInput in = new RequestInput(index);
    ModelInferRequest.InferInputTensor.Builder proto = req.addInputsBuilder();
    boolean sawData = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "name" -> {
          if (v != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
            throw V2Exception.invalid(path + ".name must be a non-empty string");
          }
          in.name = p.getText();
        }
        case "datatype" -> {
          if (v != JsonToken.VALUE_STRING) {
            throw V2Exception.invalid(in.where() + ": datatype must be a string such as \"FP32\"");
          }
          in.type = Datatype.parse(p.getText(), in.where());
        }
        case "shape" -> in.shape = shape(v, in);
        case "parameters" ->
            JsonParameters.read(
                p,
                path + ".parameters",
                (key, value) -> {
                  if (RestInferRequestDecoder.BINARY_DATA_SIZE.equals(key)) {
                    in.binarySize = binarySize(in, value);
                  } else {
                    proto.putParameters(key, value);
                  }
                });
        case "data" -> {
          sawData = true;
          if (in.type != null) {
            in.data = dataFrom(p, in);
          } else {
            in.deferredDataOffset = p.currentTokenLocation().getByteOffset();
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (in.name == null) {
      throw V2Exception.invalid(path + ".name is missing");
    }
    if (in.shape == null) {
      throw V2Exception.invalid(path + ".shape is missing");
    }
    if (in.type == null) {
      throw V2Exception.invalid(path + ".datatype is missing");
    }
    if (sawData && in.binarySize >= 0) {
      throw V2Exception.invalid(
          in.where() + " has both data and parameters.binary_data_size; send one or the other");
    }
    if (!sawData && in.binarySize < 0) {
      throw V2Exception.invalid(
          path + ".data is missing (or set parameters.binary_data_size to send it as binary)");
    }
    if (in.deferredDataOffset >= 0) {
      try (JsonParser later =
          Json.parser(
              body, (int) in.deferredDataOffset, headerLength - (int) in.deferredDataOffset)) {
        later.nextToken();
        in.data = dataFrom(later, in);
      }
    }
    if (sawData) {
      long needed = Shapes.elementCount(in.shape);
      if (in.elementsRead != needed) {
        throw V2Exception.invalid(
            in.where()
                + ": shape "
                + Shapes.format(in.shape)
                + " needs "
                + needed
                + " elements but data has "
                + in.elementsRead);
      }
    }
    proto.setName(in.name).setDatatype(in.type.name());
    for (long d : in.shape) {
      proto.addShape(d);
    }
    return in;
  }

  private long[] shape(JsonToken t, RequestInput in) throws IOException {
    String path = "inputs[" + in.index + "].shape";
    if (t != JsonToken.START_ARRAY) {
      throw V2Exception.invalid(path + " must be an array of non-negative integers");
    }
    long[] dims = new long[4];
    int rank = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT
          || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw V2Exception.invalid(
            path
                + "["
                + rank
                + "] is "
                + JsonTensorDataReader.describe(p, t)
                + "; dimensions must be non-negative integers");
      }
      long d = p.getLongValue();
      if (d < 0) {
        throw V2Exception.invalid(path + "[" + rank + "] is " + d + "; dimensions must be >= 0");
      }
      if (rank == dims.length) {
        dims = Arrays.copyOf(dims, rank * 2);
      }
      dims[rank++] = d;
    }
    return Arrays.copyOf(dims, rank);
  }

  /** Parses the data value the parser is on; when the shape is known the buffer is presized. */
  private ByteString dataFrom(JsonParser parser, RequestInput in) throws IOException {
    long jsonLeft = Math.max(0, headerLength - parser.currentTokenLocation().getByteOffset());
    // Each JSON element takes at least 2 characters and at most 8 bytes: a bound that keeps a
    // bogus shape from allocating more than the body could fill.
    long bound = jsonLeft * 4 + 16;
    long expected =
        in.shape != null && in.type.fixedSize()
            ? Shapes.byteLength(Shapes.elementCount(in.shape), in.type)
            : 256;
    LittleEndianSink sink =
        new LittleEndianSink((int) Math.min(Math.min(expected, bound), Integer.MAX_VALUE - 16));
    in.elementsRead = JsonTensorDataReader.read(parser, in.type, sink, in.where());
    return UnsafeByteOperations.unsafeWrap(sink.array(), 0, sink.size());
  }

  private static long binarySize(RequestInput in, InferParameter value) {
    long size =
        switch (value.getParameterChoiceCase()) {
          case INT64_PARAM -> value.getInt64Param();
          case UINT64_PARAM -> value.getUint64Param();
          default -> -1;
        };
    if (size < 0) {
      throw V2Exception.invalid(
          in.where() + ": parameters.binary_data_size must be a non-negative integer");
    }
    return size;
  }

  private void outputs(JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw V2Exception.invalid("outputs must be an array of {\"name\": ...} objects");
    }
    Set<String> names = new HashSet<>();
    int index = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String path = "outputs[" + index + "]";
      if (t != JsonToken.START_OBJECT) {
        throw V2Exception.invalid(path + " must be an object");
      }
      ModelInferRequest.InferRequestedOutputTensor.Builder out = req.addOutputsBuilder();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "name" -> {
            if (v != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
              throw V2Exception.invalid(path + ".name must be a non-empty string");
            }
            out.setName(p.getText());
          }
          case "parameters" -> JsonParameters.read(p, path + ".parameters", out::putParameters);
          default -> p.skipChildren();
        }
      }
      if (out.getName().isEmpty()) {
        throw V2Exception.invalid(path + ".name is missing");
      }
      if (!names.add(out.getName())) {
        throw V2Exception.invalid(
            "output '" + out.getName() + "' is requested more than once in outputs");
      }
      index++;
    }
  }
}
