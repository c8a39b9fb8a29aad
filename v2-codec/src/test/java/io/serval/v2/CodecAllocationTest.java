package io.serval.v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.proto.inference.ModelInferRequest;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Allocation and speed sanity for the JSON hot path: element data must go straight into primitive
 * buffers, never into boxed lists (a boxed Long or Float costs 16 bytes plus a reference).
 */
class CodecAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static byte[] tokenRequest(int seqLen) {
    Random r = new Random(1);
    StringBuilder sb = new StringBuilder("{\"inputs\":[");
    for (String name : new String[] {"input_ids", "attention_mask", "token_type_ids"}) {
      if (sb.charAt(sb.length() - 1) == '}') {
        sb.append(',');
      }
      sb.append("{\"name\":\"").append(name).append("\",\"shape\":[1,").append(seqLen);
      sb.append("],\"datatype\":\"INT64\",\"data\":[");
      for (int i = 0; i < seqLen; i++) {
        sb.append(i == 0 ? "" : ",").append(r.nextInt(30522));
      }
      sb.append("]}");
    }
    return Samples.utf8(sb.append("]}").toString());
  }

  static byte[] fp32Request(int rows, int cols) {
    Random r = new Random(2);
    StringBuilder sb = new StringBuilder("{\"inputs\":[{\"name\":\"x\",\"shape\":[");
    sb.append(rows).append(',').append(cols).append("],\"datatype\":\"FP32\",\"data\":[");
    for (int i = 0; i < rows * cols; i++) {
      sb.append(i == 0 ? "" : ",").append(r.nextFloat() * 2 - 1);
    }
    return Samples.utf8(sb.append("]}]}").toString());
  }

  /** Decodes and reads the tensors, as the predictor does for each REST request. */
  static List<RawTensor> decode(byte[] body) {
    ModelInferRequest req = RestInferRequestDecoder.decode("m", null, body, OptionalInt.empty());
    return InferRequestReader.inputs(req);
  }

  /** Average bytes allocated by this thread per call, after warm-up. */
  static long allocatedPerCall(Supplier<?> call, int iterations) {
    for (int i = 0; i < iterations; i++) {
      call.get();
    }
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < iterations; i++) {
      call.get();
    }
    return (THREADS.getCurrentThreadAllocatedBytes() - before) / iterations;
  }

  @Test
  void tokenRequestsAllocateAboutTheirRawSizePerElement() {
    byte[] small = tokenRequest(128);
    byte[] large = tokenRequest(1024);
    assertThat(decode(small))
        .hasSize(3)
        .allSatisfy(t -> assertThat(t.byteLength()).isEqualTo(1024));

    long a = allocatedPerCall(() -> decode(small), 500);
    long b = allocatedPerCall(() -> decode(large), 500);
    double perElement = (double) (b - a) / (3 * (1024 - 128));
    System.out.printf(
        "1x128 INT64 x3: %d bytes allocated per decode; %.1f bytes per extra element%n",
        a, perElement);
    // 8 bytes is the INT64 itself; a boxed list would add at least 20 more.
    assertThat(perElement).isLessThan(12.0);
    assertThat(a).isLessThan(32 * 1024);
  }

  @Test
  void wideFp32RequestAllocatesLittleBeyondItsTensor() {
    byte[] body = fp32Request(64, 1024);
    int raw = 64 * 1024 * 4;
    assertThat(decode(body).get(0).byteLength()).isEqualTo(raw);

    long perCall = allocatedPerCall(() -> decode(body), 30);
    System.out.printf(
        "64x1024 FP32 (%d-byte body): %d bytes allocated per decode for a %d-byte tensor%n",
        body.length, perCall, raw);
    // A boxed Float list would cost about 5x the raw size.
    assertThat(perCall).isLessThan(raw + raw / 4 + 64 * 1024);
  }

  @Test
  void decodingIsFastEnough() {
    byte[] tokens = tokenRequest(128);
    byte[] wide = fp32Request(64, 1024);
    for (int i = 0; i < 300; i++) {
      decode(tokens);
      decode(wide);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < 2000; i++) {
      decode(tokens);
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      decode(wide);
    }
    long t2 = System.nanoTime();
    double tokensUs = (t1 - t0) / 2000 / 1e3;
    double wideMs = (t2 - t1) / 50 / 1e6;
    System.out.printf("decode 1x128 INT64 x3: %.1f us; 64x1024 FP32: %.2f ms%n", tokensUs, wideMs);
    // Generous bounds for a shared 2-core machine: they catch pathologies, not regressions.
    assertThat(tokensUs).isLessThan(2_000);
    assertThat(wideMs).isLessThan(200);
  }

  /**
   * A MiniLM response (49,152 FP32) as JSON: the digits go straight into the body's array. Writing
   * each float through a String (Jackson's writeNumber) allocated about 10x the body.
   */
  @Test
  void fp32JsonResponseAllocatesLittleBeyondItsBody() {
    int n = 128 * 384;
    java.nio.ByteBuffer data =
        java.nio.ByteBuffer.allocate(n * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    Random r = new Random(3);
    for (int i = 0; i < n; i++) {
      data.putFloat(i * 4, (float) r.nextGaussian());
    }
    var resp =
        InferResponseWriter.build(
            "m",
            null,
            null,
            List.of(new RawTensor("y", Datatype.FP32, new long[] {1, 128, 384}, data)),
            true);
    int bodyLength = RestInferResponseEncoder.encode(resp, null).body().length;

    long perCall = allocatedPerCall(() -> RestInferResponseEncoder.encode(resp, null), 30);
    System.out.printf(
        "1x128x384 FP32 response: %d-byte JSON body, %d bytes allocated per encode%n",
        bodyLength, perCall);
    // The body's array at its worst-case size (16 bytes a float), then the exact copy.
    assertThat(perCall).isLessThan(3L * bodyLength);
  }
}
