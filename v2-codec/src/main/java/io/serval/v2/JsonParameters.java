package io.serval.v2;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.serval.proto.inference.InferParameter;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;

/** V2 {@code parameters} objects: JSON string/number/bool values to and from InferParameter. */
final class JsonParameters {
  private JsonParameters() {}

  /** Receives each parsed parameter. */
  interface Sink {
    void put(String key, InferParameter value);
  }

  /**
   * @param p positioned on the value of a "parameters" field; left on its END_OBJECT
   * @param path the JSON path for messages, e.g. {@code inputs[0].parameters}
   */
  static void read(JsonParser p, String path, Sink sink) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw V2Exception.invalid(path + " must be a JSON object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      sink.put(key, value(p, t, path + "." + key));
    }
  }

  private static InferParameter value(JsonParser p, JsonToken t, String path) throws IOException {
    InferParameter.Builder b = InferParameter.newBuilder();
    switch (t) {
      case VALUE_STRING -> b.setStringParam(p.getText());
      case VALUE_TRUE -> b.setBoolParam(true);
      case VALUE_FALSE -> b.setBoolParam(false);
      case VALUE_NUMBER_FLOAT -> b.setDoubleParam(p.getDoubleValue());
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          BigInteger v = p.getBigIntegerValue();
          if (v.signum() < 0 || v.bitLength() > 64) {
            throw V2Exception.invalid(path + " = " + v + " does not fit in 64 bits");
          }
          b.setUint64Param(v.longValue());
        } else {
          b.setInt64Param(p.getLongValue());
        }
      }
      default ->
          throw V2Exception.invalid(
              path
                  + " is "
                  + JsonTensorDataReader.describe(p, t)
                  + "; parameters must be strings, numbers or booleans");
    }
    return b.build();
  }

  static void write(JsonGenerator g, Map<String, InferParameter> params) throws IOException {
    for (Map.Entry<String, InferParameter> e : params.entrySet()) {
      InferParameter v = e.getValue();
      switch (v.getParameterChoiceCase()) {
        case BOOL_PARAM -> g.writeBooleanField(e.getKey(), v.getBoolParam());
        case INT64_PARAM -> g.writeNumberField(e.getKey(), v.getInt64Param());
        case STRING_PARAM -> g.writeStringField(e.getKey(), v.getStringParam());
        case DOUBLE_PARAM -> g.writeNumberField(e.getKey(), v.getDoubleParam());
        case UINT64_PARAM -> {
          g.writeFieldName(e.getKey());
          g.writeNumber(Long.toUnsignedString(v.getUint64Param()));
        }
        case PARAMETERCHOICE_NOT_SET -> {
          // an empty oneof has no JSON value; leave the key out
        }
      }
    }
  }

  /** Reads a boolean flag such as binary_data; absent or not a boolean (or 0/1) gives null. */
  static Boolean flag(Map<String, InferParameter> params, String key) {
    InferParameter v = params.get(key);
    if (v == null) {
      return null;
    }
    return switch (v.getParameterChoiceCase()) {
      case BOOL_PARAM -> v.getBoolParam();
      case INT64_PARAM -> v.getInt64Param() != 0;
      case UINT64_PARAM -> v.getUint64Param() != 0;
      case STRING_PARAM -> Boolean.parseBoolean(v.getStringParam());
      default -> null;
    };
  }
}
