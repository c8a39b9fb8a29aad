package io.serval.router.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.serval.proto.inference.InferTensorContents;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.v2.InferRequestReader;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.V2Exception;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Valid requests mutated a few bytes at a time (3,000 tries each way, a fixed seed, so a failure
 * replays) through what the router and a predictor do with a client's bytes: the REST decoder, and
 * for gRPC the router's model_name reader then the predictor's parse and tensor reader. Every
 * outcome must be a success or a client error (4xx / INVALID_ARGUMENT); the first other one fails
 * the test with the input that caused it.
 */
class MutatedRequestsTest {
  private static final int TRIES = 3_000;

  private static final String JSON =
      "{\"id\":\"r1\",\"inputs\":["
          + "{\"name\":\"input_ids\",\"shape\":[1,16],\"datatype\":\"INT64\",\"data\":"
          + "[101,2023,2003,1037,3231,6251,1012,2009,2003,2200,2204,1012,102,0,0,0]},"
          + "{\"name\":\"score\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[[0.5,1],[2.25,-3]]},"
          + "{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"hello\"]}],"
          + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]}";

  @Test
  void mutatedRestBodiesDecodeOrAreA4xx() {
    byte[] valid = JSON.getBytes(StandardCharsets.UTF_8);
    assertThat(decodeRest(valid, OptionalInt.empty())).isNull();
    Random random = new Random(20261204);
    for (int i = 0; i < TRIES; i++) {
      byte[] mutated = mutate(valid, random);
      String failure = decodeRest(mutated, OptionalInt.empty());
      assertThat(failure).as("try %d: %s", i, new String(mutated, StandardCharsets.UTF_8)).isNull();
    }
  }

  @Test
  void mutatedBinaryExtensionBodiesDecodeOrAreA4xx() {
    byte[] header =
        ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":16}},"
                + "{\"name\":\"s\",\"shape\":[2],\"datatype\":\"BYTES\","
                + "\"parameters\":{\"binary_data_size\":11}}]}")
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(header.length + 27).order(ByteOrder.LITTLE_ENDIAN);
    body.put(header).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
    body.putInt(3).put("abc".getBytes(StandardCharsets.UTF_8)).putInt(0);
    byte[] valid = body.array();
    assertThat(decodeRest(valid, OptionalInt.of(header.length))).isNull();
    Random random = new Random(7);
    for (int i = 0; i < TRIES; i++) {
      byte[] mutated = mutate(valid, random);
      // The header length too is the client's to get wrong.
      int headerLength =
          random.nextInt(8) == 0 ? random.nextInt(mutated.length + 2) - 1 : header.length;
      assertThat(decodeRest(mutated, OptionalInt.of(headerLength)))
          .as("try %d, header length %d: %s", i, headerLength, hex(mutated))
          .isNull();
    }
  }

  @Test
  void mutatedGrpcRequestsAreForwardedOrRefusedAsInvalidArgument() {
    ByteBuffer ids = ByteBuffer.allocate(16 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int t = 0; t < 16; t++) {
      ids.putLong(100 + t);
    }
    byte[] valid =
        ModelInferRequest.newBuilder()
            .setModelName("minilm")
            .setId("r1")
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("input_ids")
                    .setDatatype("INT64")
                    .addShape(1)
                    .addShape(16))
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("mask")
                    .setDatatype("INT32")
                    .addShape(2)
                    .setContents(
                        InferTensorContents.newBuilder().addIntContents(1).addIntContents(0)))
            .addRawInputContents(ByteString.copyFrom(ids.flip()))
            .addRawInputContents(ByteString.copyFrom(new byte[8]))
            .build()
            .toByteArray();
    assertThat(passGrpc(valid)).isNull();
    Random random = new Random(42);
    for (int i = 0; i < TRIES; i++) {
      byte[] mutated = mutate(valid, random);
      assertThat(passGrpc(mutated)).as("try %d: %s", i, hex(mutated)).isNull();
    }
  }

  /** Null when the router would forward the body or answer it with a 4xx; else what went wrong. */
  private static String decodeRest(byte[] body, OptionalInt headerLength) {
    try {
      InferRequestReader.inputs(RestInferRequestDecoder.decode("m", null, body, headerLength));
      return null;
    } catch (V2Exception e) {
      return e.httpStatus() >= 400 && e.httpStatus() < 500 ? null : e.httpStatus() + ": " + e;
    } catch (RuntimeException e) {
      return "500: " + e;
    }
  }

  /**
   * Null when the router refuses the bytes as INVALID_ARGUMENT, or forwards them and the predictor
   * parses them or refuses them as INVALID_ARGUMENT; else what went wrong.
   */
  private static String passGrpc(byte[] message) {
    try {
      String name = ModelNameField.read(message);
      ModelNameField.replace(message, name + "-v2");
    } catch (IllegalArgumentException refused) {
      return null;
    } catch (RuntimeException e) {
      return "router: " + e;
    }
    ModelInferRequest request;
    try {
      request = ModelInferRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException refused) {
      return null;
    }
    try {
      InferRequestReader.inputs(request);
      return null;
    } catch (V2Exception e) {
      return e.httpStatus() >= 400 && e.httpStatus() < 500 ? null : "predictor: " + e;
    } catch (RuntimeException e) {
      return "predictor: " + e;
    }
  }

  /** One to four byte-level edits: flip, overwrite, insert, delete, or duplicate a short run. */
  static byte[] mutate(byte[] input, Random random) {
    List<Byte> b = new ArrayList<>(input.length + 16);
    for (byte x : input) {
      b.add(x);
    }
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && !b.isEmpty(); e++) {
      int at = random.nextInt(b.size());
      switch (random.nextInt(5)) {
        case 0 -> b.set(at, (byte) (b.get(at) ^ (1 << random.nextInt(8))));
        case 1 -> b.set(at, (byte) random.nextInt(256));
        case 2 -> b.add(at, (byte) random.nextInt(256));
        case 3 -> b.remove(at);
        default -> {
          int len = Math.min(1 + random.nextInt(6), b.size() - at);
          b.addAll(at, new ArrayList<>(b.subList(at, at + len)));
        }
      }
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}
