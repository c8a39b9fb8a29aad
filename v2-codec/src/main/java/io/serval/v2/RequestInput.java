package io.serval.v2;

import com.google.protobuf.ByteString;

/** What the JSON header says about one input; data is set from JSON or the binary section. */
final class RequestInput {
  final int index;
  String name;
  Datatype type;
  long[] shape;
  long binarySize = -1;
  ByteString data;

  /** Byte offset of a "data" value seen before "datatype", parsed once the type is known. */
  long deferredDataOffset = -1;

  long elementsRead;

  RequestInput(int index) {
    this.index = index;
  }

  String where() {
    return name != null ? "input '" + name + "'" : "inputs[" + index + "]";
  }
}
