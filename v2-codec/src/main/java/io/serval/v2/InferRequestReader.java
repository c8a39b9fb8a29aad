package io.serval.v2;

import com.google.protobuf.ByteString;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates the input tensors of a gRPC {@link ModelInferRequest}, whichever data form
 * the client chose, into the one binary layout of {@link RawTensor}.
 */
public final class InferRequestReader {
  private InferRequestReader() {}

  /**
   * @return one tensor per input, in request order. Raw inputs are wrapped without copying, as
   *     read-only buffers over the request's bytes.
   * @throws V2Exception INVALID_ARGUMENT naming the input and the problem
   */
  public static List<RawTensor> inputs(ModelInferRequest req) {
    int n = req.getInputsCount();
    int rawCount = req.getRawInputContentsCount();
    if (n == 0) {
      throw V2Exception.invalid("the request has no inputs");
    }
    if (rawCount != 0 && rawCount != n) {
      throw V2Exception.invalid(
          "raw_input_contents has "
              + rawCount
              + " entries but the request has "
              + n
              + " inputs; it needs exactly one entry per input, in input order");
    }
    List<RawTensor> out = new ArrayList<>(n);
    Set<String> names = new HashSet<>(n * 2);
    for (int i = 0; i < n; i++) {
      InferInputTensor in = req.getInputs(i);
      String name = in.getName();
      if (name.isEmpty()) {
        throw V2Exception.invalid("inputs[" + i + "].name is missing");
      }
      String where = "input '" + name + "'";
      if (!names.add(name)) {
        throw V2Exception.invalid(where + " appears more than once");
      }
      Datatype type = Datatype.parse(in.getDatatype(), where);
      long[] shape = shape(where, in);
      ByteBuffer data;
      if (rawCount > 0) {
        if (in.hasContents() && TypedContents.hasAny(in.getContents())) {
          throw V2Exception.invalid(
              where
                  + " sets contents while the request uses raw_input_contents; when"
                  + " raw_input_contents is used, no input may set contents");
        }
        data = wrap(req.getRawInputContents(i));
        TensorLayout.check(where, type, shape, data);
      } else {
        data = TypedContents.toRaw(where, type, shape, in.getContents());
      }
      out.add(new RawTensor(name, type, shape, data));
    }
    return out;
  }

  private static long[] shape(String where, InferInputTensor in) {
    int rank = in.getShapeCount();
    long[] shape = new long[rank];
    for (int d = 0; d < rank; d++) {
      long dim = in.getShape(d);
      if (dim < 0) {
        throw V2Exception.invalid(
            where
                + ": shape "
                + in.getShapeList()
                + " has a negative dimension; every dimension must be >= 0");
      }
      shape[d] = dim;
    }
    return shape;
  }

  /** Zero-copy little-endian view; slice() because the view may start at an array offset. */
  static ByteBuffer wrap(ByteString bytes) {
    return bytes.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
  }
}
