package io.serval.v2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.google.protobuf.UnsafeByteOperations;
import io.serval.proto.inference.InferParameter;
import io.serval.proto.inference.ModelInferRequest;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.OptionalInt;

/**
 * Decodes a V2 REST inference request body (JSON, optionally followed by binary tensor data) into
 * the gRPC {@link ModelInferRequest}. Input data always ends up in {@code raw_input_contents}, one
 * entry per input, so downstream code handles one form. The binary_data / binary_data_output
 * parameters are kept so the response encoder knows what the client asked for; an input's
 * binary_data_size is consumed here.
 */
public final class RestInferRequestDecoder {
  private RestInferRequestDecoder() {}

  static final String BINARY_DATA_SIZE = "binary_data_size";

  /**
   * @param body the whole HTTP body; binary tensor data is wrapped, not copied, so the caller must
   *     not change the array afterwards
   * @param inferenceHeaderContentLength the {@code Inference-Header-Content-Length} header, if
   *     sent: the JSON header's length, binary tensor data follows it
   * @throws V2Exception INVALID_ARGUMENT naming the field or input at fault
   */
  public static ModelInferRequest decode(
      String modelName,
      String modelVersion,
      byte[] body,
      OptionalInt inferenceHeaderContentLength) {
    if (body == null || body.length == 0) {
      throw V2Exception.invalid(
          "the request body is empty; expected a V2 inference request JSON object");
    }
    int headerLength = body.length;
    if (inferenceHeaderContentLength.isPresent()) {
      int h = inferenceHeaderContentLength.getAsInt();
      if (h == 0) {
        throw V2Exception.invalid(
            "Inference-Header-Content-Length: 0 (a raw binary body without a JSON header) is not"
                + " supported; send a JSON header describing the input, followed by its bytes");
      }
      if (h < 0 || h > body.length) {
        throw V2Exception.invalid(
            "Inference-Header-Content-Length is "
                + h
                + " but the body has "
                + body.length
                + " bytes");
      }
      headerLength = h;
    }
    ModelInferRequest.Builder req = ModelInferRequest.newBuilder();
    if (modelName != null) {
      req.setModelName(modelName);
    }
    if (modelVersion != null) {
      req.setModelVersion(modelVersion);
    }
    List<RequestInput> inputs;
    try (JsonParser p = Json.parser(body, 0, headerLength)) {
      inputs = new JsonRequestHeader(p, body, headerLength, req).read();
    } catch (StreamConstraintsException e) {
      throw V2Exception.invalid("request JSON exceeds a parser limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (CharConversionException e) {
      // Jackson detects UTF-16/32 from the first bytes; text that is none of them is the client's.
      throw V2Exception.invalid("the request body is not valid JSON text: " + e.getMessage());
    } catch (IOException e) {
      throw V2Exception.internal("reading the request body failed: " + e.getMessage(), e);
    }
    attachBinaryData(inputs, body, headerLength, inferenceHeaderContentLength.isPresent());
    for (RequestInput in : inputs) {
      req.addRawInputContents(in.data);
    }
    return req.build();
  }

  /**
   * Decodes a body sent with {@code Inference-Header-Content-Length: 0}: no JSON header, the whole
   * body is the data of the model's only input, as a batch of 1; every output is requested in
   * binary (request parameter binary_data_output = true), as the binary tensor extension says.
   *
   * @param inputName the model's single input
   * @param declaredShape that input's shape from the model metadata (-1 = variable). A leading -1
   *     becomes 1 (batch 1); one other -1 is inferred from the body's size; more cannot be.
   * @throws V2Exception INVALID_ARGUMENT when the body does not fit the input
   */
  public static ModelInferRequest decodeHeaderless(
      String modelName,
      String modelVersion,
      byte[] body,
      String inputName,
      Datatype datatype,
      long[] declaredShape) {
    String where = "input '" + inputName + "'";
    ByteBuffer view = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    long[] shape = headerlessShape(where, datatype, declaredShape, view);
    TensorLayout.check(where, datatype, shape, view);
    ModelInferRequest.Builder req = ModelInferRequest.newBuilder();
    if (modelName != null) {
      req.setModelName(modelName);
    }
    if (modelVersion != null) {
      req.setModelVersion(modelVersion);
    }
    req.putParameters(
        RestInferResponseEncoder.BINARY_DATA_OUTPUT,
        InferParameter.newBuilder().setBoolParam(true).build());
    ModelInferRequest.InferInputTensor.Builder in =
        req.addInputsBuilder().setName(inputName).setDatatype(datatype.name());
    for (long d : shape) {
      in.addShape(d);
    }
    req.addRawInputContents(UnsafeByteOperations.unsafeWrap(body));
    return req.build();
  }

  private static long[] headerlessShape(
      String where, Datatype type, long[] declared, ByteBuffer data) {
    long[] shape = declared.clone();
    if (shape.length > 0 && shape[0] < 0) {
      shape[0] = 1;
    }
    int unknown = -1;
    long known = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] < 0) {
        if (unknown >= 0) {
          throw V2Exception.invalid(
              where
                  + " has several variable dimensions "
                  + Shapes.format(declared)
                  + ", so a body without a JSON header cannot give its shape; send a JSON header");
        }
        unknown = d;
      } else {
        known = Shapes.elementCount(new long[] {known, shape[d]});
      }
    }
    if (unknown < 0) {
      return shape;
    }
    long elements =
        type.fixedSize()
            ? data.remaining() / type.byteSize()
            : TensorLayout.countBytesElements(where, data);
    boolean fits =
        (!type.fixedSize() || data.remaining() % type.byteSize() == 0)
            && known > 0
            && elements % known == 0;
    if (!fits) {
      throw V2Exception.invalid(
          where
              + ": a body of "
              + data.remaining()
              + " bytes is not a whole number of "
              + type
              + " rows of shape "
              + Shapes.format(declared));
    }
    shape[unknown] = elements / known;
    return shape;
  }

  private static V2Exception malformed(JsonProcessingException e) {
    var loc = e.getLocation();
    String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    return V2Exception.invalid("malformed JSON" + at + ": " + e.getOriginalMessage());
  }

  /** Takes each binary input's bytes from after the JSON header, in input order. */
  private static void attachBinaryData(
      List<RequestInput> inputs, byte[] body, int headerLength, boolean headerLengthSent) {
    long declared = 0;
    for (RequestInput in : inputs) {
      if (in.binarySize >= 0) {
        if (!headerLengthSent) {
          throw V2Exception.invalid(
              in.where()
                  + " has parameters.binary_data_size but the Inference-Header-Content-Length"
                  + " header is missing; it must give the length of the JSON header");
        }
        // Saturates: huge sizes must not wrap the sum around to the body's size.
        declared =
            in.binarySize > Long.MAX_VALUE - declared ? Long.MAX_VALUE : declared + in.binarySize;
      }
    }
    long available = (long) body.length - headerLength;
    if (declared != available) {
      throw V2Exception.invalid(
          "binary tensor data: the inputs declare "
              + declared
              + " bytes (parameters.binary_data_size) but the body has "
              + available
              + " bytes after the "
              + headerLength
              + "-byte JSON header");
    }
    int offset = headerLength;
    for (RequestInput in : inputs) {
      if (in.binarySize >= 0) {
        int size = (int) in.binarySize;
        ByteBuffer view =
            ByteBuffer.wrap(body, offset, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        TensorLayout.check(in.where(), in.type, in.shape, view);
        in.data = UnsafeByteOperations.unsafeWrap(body, offset, size);
        offset += size;
      }
    }
  }
}
