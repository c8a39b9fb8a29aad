package io.serval.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class DatatypeAndErrorsTest {

  @Test
  void parsesEveryV2NameAndKnowsItsSize() {
    for (Datatype d : Datatype.values()) {
      assertThat(Datatype.parse(d.name(), "input 'x'")).isSameAs(d);
    }
    assertThat(Datatype.BOOL.byteSize()).isEqualTo(1);
    assertThat(Datatype.UINT16.byteSize()).isEqualTo(2);
    assertThat(Datatype.BF16.byteSize()).isEqualTo(2);
    assertThat(Datatype.FP32.byteSize()).isEqualTo(4);
    assertThat(Datatype.INT64.byteSize()).isEqualTo(8);
    assertThat(Datatype.BYTES.byteSize()).isEqualTo(-1);
  }

  @Test
  void unknownDatatypeListsTheAcceptedNames() {
    assertThatThrownBy(() -> Datatype.parse("FLOAT", "input 'x'"))
        .isInstanceOfSatisfying(
            V2Exception.class,
            e -> assertThat(e.kind()).isEqualTo(V2Exception.Kind.INVALID_ARGUMENT))
        .hasMessage(
            "input 'x': unknown datatype 'FLOAT'; expected one of BOOL, UINT8, UINT16, UINT32,"
                + " UINT64, INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64, BYTES");
    assertThatThrownBy(() -> Datatype.parse("fp32", "input 'x'"))
        .hasMessageStartingWith("input 'x': unknown datatype 'fp32'");
    assertThatThrownBy(() -> Datatype.parse("", "output 'y'"))
        .hasMessageStartingWith("output 'y': datatype is missing");
  }

  @Test
  void errorJsonEscapesTheMessage() throws Exception {
    assertThat(V2Exception.errorJson("bad input")).isEqualTo("{\"error\":\"bad input\"}");
    String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 snow \u2603";
    String json = V2Exception.errorJson(nasty);
    assertThat(new ObjectMapper().readTree(json).get("error").asText()).isEqualTo(nasty);
    assertThat(json).doesNotContain("\n");
  }

  @Test
  void kindsMapToHttpAndGrpcCodes() {
    assertThat(V2Exception.invalid("m").httpStatus()).isEqualTo(400);
    assertThat(V2Exception.notFound("m").httpStatus()).isEqualTo(404);
    assertThat(V2Exception.payloadTooLarge("m").httpStatus()).isEqualTo(413);
    assertThat(V2Exception.unavailable("m").httpStatus()).isEqualTo(503);
    assertThat(V2Exception.resourceExhausted("m").httpStatus()).isEqualTo(503);
    assertThat(V2Exception.deadlineExceeded("m").httpStatus()).isEqualTo(504);
    assertThat(V2Exception.internal("m").httpStatus()).isEqualTo(500);
    assertThat(V2Exception.cancelled("m").httpStatus()).isEqualTo(499);

    Status s = V2Exception.notFound("model 'm' not found").grpcStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(s.getDescription()).isEqualTo("model 'm' not found");
    assertThat(V2Exception.invalid("m").grpcStatus().getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(V2Exception.unavailable("m").grpcStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(V2Exception.resourceExhausted("m").grpcStatus().getCode())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(V2Exception.deadlineExceeded("m").grpcStatus().getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(V2Exception.internal("m").grpcStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(V2Exception.cancelled("m").grpcStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void grpcStatusMapsBackToTheSameKind() {
    for (V2Exception.Kind kind : V2Exception.Kind.values()) {
      if (kind == V2Exception.Kind.PAYLOAD_TOO_LARGE) {
        continue; // shares RESOURCE_EXHAUSTED on gRPC; comes back as RESOURCE_EXHAUSTED
      }
      V2Exception back = V2Exception.fromStatus(new V2Exception(kind, "why").grpcStatus());
      assertThat(back.kind()).isEqualTo(kind);
      assertThat(back.getMessage()).isEqualTo("why");
    }
    assertThat(V2Exception.fromStatus(Status.UNKNOWN).kind()).isEqualTo(V2Exception.Kind.INTERNAL);
  }
}
