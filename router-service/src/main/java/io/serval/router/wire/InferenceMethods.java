package io.serval.router.wire;

import io.grpc.MethodDescriptor;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;

/** V2 gRPC method descriptors the router uses with byte[] messages. */
public final class InferenceMethods {
  private InferenceMethods() {}

  public static final String SERVICE = GRPCInferenceServiceGrpc.SERVICE_NAME;

  /** ModelInfer with both messages kept as bytes. */
  public static final MethodDescriptor<byte[], byte[]> MODEL_INFER_BYTES =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "ModelInfer"))
          .setRequestMarshaller(ByteArrayMarshaller.INSTANCE)
          .setResponseMarshaller(ByteArrayMarshaller.INSTANCE)
          .build();
}
