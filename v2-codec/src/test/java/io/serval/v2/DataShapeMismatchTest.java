package io.serval.v2;

import static io.serval.v2.Samples.concat;
import static io.serval.v2.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.proto.inference.ModelInferRequest;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * More JSON data than the shape holds, and binary sizes that do not add up: each is the client's
 * error, a 400 naming the input, never an exception from the decoder's own buffers.
 */
class DataShapeMismatchTest {

  private static String numbers(int n, Datatype type) {
    String one = type == Datatype.BOOL ? "true" : type == Datatype.BYTES ? "\"a\"" : "1";
    return IntStream.range(0, n).mapToObj(i -> one).collect(Collectors.joining(",", "[", "]"));
  }

  private static ModelInferRequest decode(String json) {
    return RestInferRequestDecoder.decode("m", null, utf8(json), OptionalInt.empty());
  }

  @ParameterizedTest
  @EnumSource(
      value = Datatype.class,
      names = {"FP16", "BF16"},
      mode = EnumSource.Mode.EXCLUDE)
  void moreDataThanTheShapeHoldsIsA400NamingTheInput(Datatype type) {
    String json =
        "{\"inputs\":[{\"name\":\"input_ids\",\"shape\":[1,16],\"datatype\":\""
            + type
            + "\",\"data\":"
            + numbers(17, type)
            + "}]}";

    assertThatThrownBy(() -> decode(json))
        .isInstanceOfSatisfying(V2Exception.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
        .hasMessage("input 'input_ids': shape [1,16] needs 16 elements but data has 17");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[0]", "[1,0]", "[1,1]"})
  void dataForAnEmptyOrSmallShapeIsA400(String shape) {
    String json =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":"
            + shape
            + ",\"datatype\":\"INT64\",\"data\":"
            + numbers(40, Datatype.INT64)
            + "}]}";

    assertThatThrownBy(() -> decode(json))
        .isInstanceOfSatisfying(V2Exception.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
        .hasMessageContaining("input 'x': shape " + shape.replace(" ", ""))
        .hasMessageEndingWith("but data has 40");
  }

  @Test
  void raggedNestedArraysThatDoNotFitTheShapeAreA400() {
    assertThatThrownBy(
            () ->
                decode(
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT64\","
                        + "\"data\":[[1],[2,3]]}]}"))
        .isInstanceOfSatisfying(V2Exception.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
        .hasMessage("input 'x': shape [1] needs 1 elements but data has 3");
  }

  @Test
  void largeDataBeforeItsShapeDecodes() {
    // Data seen after the datatype but before the shape is read into a default-sized buffer that
    // must grow.
    String json =
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"data\":"
            + numbers(1000, Datatype.INT64)
            + ",\"shape\":[1,1000]}]}";

    ModelInferRequest req = decode(json);

    RawTensor t = InferRequestReader.inputs(req).get(0);
    assertThat(t.data().remaining()).isEqualTo(8000);
    assertThat(t.data().getLong(7992)).isEqualTo(1);
  }

  @Test
  void binaryDataSizesThatOverflowTheirSumAreA400() {
    String header =
        "{\"inputs\":["
            + "{\"name\":\"a\",\"shape\":[1],\"datatype\":\"INT64\","
            + "\"parameters\":{\"binary_data_size\":9223372036854775807}},"
            + "{\"name\":\"b\",\"shape\":[1],\"datatype\":\"INT64\","
            + "\"parameters\":{\"binary_data_size\":9223372036854775807}},"
            + "{\"name\":\"c\",\"shape\":[1],\"datatype\":\"INT64\","
            + "\"parameters\":{\"binary_data_size\":2}}]}";
    byte[] h = utf8(header);

    assertThatThrownBy(
            () ->
                RestInferRequestDecoder.decode(
                    "m", null, concat(h, new byte[0]), OptionalInt.of(h.length)))
        .isInstanceOfSatisfying(V2Exception.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
        .hasMessageStartingWith("binary tensor data: the inputs declare 9223372036854775807 bytes");
  }
}
