package io.serval.testmodels;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds an ONNX {@code ModelProto} and encodes it by hand with the field numbers of onnx.proto, so
 * that tests can make models without Python or the ONNX jar.
 *
 * <p>A dimension of -1 in a shape is written as a symbolic {@code dim_param} ("batch" for the first
 * dimension, "d1", "d2"... for the rest), which ONNX Runtime treats as dynamic.
 */
public final class OnnxModelWriter {

  /** ONNX IR version 8 is what opset 17 models are written with. */
  static final long IR_VERSION = 8;

  static final long OPSET_VERSION = 17;

  private final String graphName;
  private String producerName = "serval-test-models";
  private final List<ValueInfo> inputs = new ArrayList<>();
  private final List<ValueInfo> outputs = new ArrayList<>();
  private final List<Initializer> initializers = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();

  private record ValueInfo(String name, OnnxElementType type, long[] shape) {}

  private record Initializer(String name, OnnxElementType type, long[] dims, byte[] rawData) {}

  private record Node(
      String opType, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {}

  public OnnxModelWriter(String graphName) {
    this.graphName = Objects.requireNonNull(graphName, "graphName");
  }

  public OnnxModelWriter producer(String name) {
    this.producerName = Objects.requireNonNull(name, "name");
    return this;
  }

  /** Declares a graph input; -1 dimensions are dynamic. */
  public OnnxModelWriter input(String name, OnnxElementType type, long... shape) {
    inputs.add(new ValueInfo(name, type, shape.clone()));
    return this;
  }

  /** Declares a graph output; -1 dimensions are dynamic. */
  public OnnxModelWriter output(String name, OnnxElementType type, long... shape) {
    outputs.add(new ValueInfo(name, type, shape.clone()));
    return this;
  }

  /** Adds a constant FP32 tensor (row-major values). */
  public OnnxModelWriter floatInitializer(String name, float[] values, long... dims) {
    checkElementCount(name, values.length, dims);
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return rawInitializer(name, OnnxElementType.FLOAT, raw.array(), dims);
  }

  /** Adds a constant tensor from little-endian raw bytes, as ONNX stores them. */
  public OnnxModelWriter rawInitializer(
      String name, OnnxElementType type, byte[] littleEndianData, long... dims) {
    if (type == OnnxElementType.STRING) {
      throw new IllegalArgumentException(
          "initializer '" + name + "': string tensors cannot be stored as raw_data");
    }
    checkElementCount(name, littleEndianData.length / type.byteSize(), dims);
    initializers.add(new Initializer(name, type, dims.clone(), littleEndianData.clone()));
    return this;
  }

  /**
   * Adds a node in the default ONNX domain. Attribute values may be {@link Long}/{@link Integer}
   * (INT), {@link Float}/{@link Double} (FLOAT), {@link String} (STRING), {@code long[]} (INTS) or
   * {@code String[]} (STRINGS).
   */
  public OnnxModelWriter node(
      String opType, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
    nodes.add(new Node(opType, List.copyOf(inputs), List.copyOf(outputs), Map.copyOf(attributes)));
    return this;
  }

  public OnnxModelWriter node(String opType, List<String> inputs, List<String> outputs) {
    return node(opType, inputs, outputs, Map.of());
  }

  /** Encodes the model as {@code ModelProto} bytes. */
  public byte[] toBytes() {
    return message(
        out -> {
          out.writeInt64(1, IR_VERSION);
          out.writeString(2, producerName);
          out.writeByteArray(7, graph());
          out.writeByteArray(
              8,
              message(
                  opset -> {
                    opset.writeString(1, "");
                    opset.writeInt64(2, OPSET_VERSION);
                  }));
        });
  }

  private byte[] graph() {
    return message(
        out -> {
          for (int i = 0; i < nodes.size(); i++) {
            out.writeByteArray(1, node(nodes.get(i), i));
          }
          out.writeString(2, graphName);
          for (Initializer init : initializers) {
            out.writeByteArray(5, tensor(init));
          }
          for (ValueInfo in : inputs) {
            out.writeByteArray(11, valueInfo(in));
          }
          for (ValueInfo o : outputs) {
            out.writeByteArray(12, valueInfo(o));
          }
        });
  }

  private static byte[] node(Node node, int index) {
    return message(
        out -> {
          for (String in : node.inputs()) {
            out.writeString(1, in);
          }
          for (String o : node.outputs()) {
            out.writeString(2, o);
          }
          out.writeString(3, node.opType().toLowerCase() + "_" + index);
          out.writeString(4, node.opType());
          for (Map.Entry<String, Object> attr : node.attributes().entrySet()) {
            out.writeByteArray(5, attribute(attr.getKey(), attr.getValue()));
          }
        });
  }

  // AttributeProto: name=1, f=2, i=3, s=4, ints=8, strings=9, type=20 (FLOAT=1, INT=2, STRING=3,
  // INTS=7, STRINGS=8).
  private static byte[] attribute(String name, Object value) {
    return message(
        out -> {
          out.writeString(1, name);
          switch (value) {
            case Integer i -> {
              out.writeInt64(3, i);
              out.writeInt32(20, 2);
            }
            case Long l -> {
              out.writeInt64(3, l);
              out.writeInt32(20, 2);
            }
            case Float f -> {
              out.writeFloat(2, f);
              out.writeInt32(20, 1);
            }
            case Double d -> {
              out.writeFloat(2, d.floatValue());
              out.writeInt32(20, 1);
            }
            case String s -> {
              out.writeString(4, s);
              out.writeInt32(20, 3);
            }
            case long[] ints -> {
              for (long i : ints) {
                out.writeInt64(8, i);
              }
              out.writeInt32(20, 7);
            }
            case String[] strings -> {
              for (String s : strings) {
                out.writeString(9, s);
              }
              out.writeInt32(20, 8);
            }
            default ->
                throw new IllegalArgumentException(
                    "attribute '" + name + "': unsupported value type " + value.getClass());
          }
        });
  }

  private static byte[] tensor(Initializer init) {
    return message(
        out -> {
          for (long d : init.dims()) {
            out.writeInt64(1, d);
          }
          out.writeInt32(2, init.type().code());
          out.writeString(8, init.name());
          out.writeByteArray(9, init.rawData());
        });
  }

  private static byte[] valueInfo(ValueInfo info) {
    byte[] shape =
        message(
            out -> {
              for (int i = 0; i < info.shape().length; i++) {
                long d = info.shape()[i];
                int index = i;
                out.writeByteArray(
                    1,
                    message(
                        dim -> {
                          if (d < 0) {
                            dim.writeString(2, index == 0 ? "batch" : "d" + index);
                          } else {
                            dim.writeInt64(1, d);
                          }
                        }));
              }
            });
    byte[] tensorType =
        message(
            out -> {
              out.writeInt32(1, info.type().code());
              out.writeByteArray(2, shape);
            });
    byte[] type = message(out -> out.writeByteArray(1, tensorType));
    return message(
        out -> {
          out.writeString(1, info.name());
          out.writeByteArray(2, type);
        });
  }

  private static void checkElementCount(String name, long count, long[] dims) {
    long expected = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "initializer '" + name + "': dimensions must be fixed, got " + d);
      }
      expected *= d;
    }
    if (expected != count) {
      throw new IllegalArgumentException(
          "initializer '" + name + "': " + count + " elements do not fill dims of " + expected);
    }
  }

  @FunctionalInterface
  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      body.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
