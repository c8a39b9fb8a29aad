package io.serval.v2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

/** The one Jackson factory of the codec (thread-safe, so shared). */
final class Json {
  private Json() {}

  /**
   * The fast double parser reads numbers straight from Jackson's char buffer; the JDK path would
   * allocate a String per tensor element. Duplicate keys are refused rather than silently
   * overwritten.
   */
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build();

  static JsonParser parser(byte[] body, int offset, int length) throws java.io.IOException {
    return FACTORY.createParser(body, offset, length);
  }
}
